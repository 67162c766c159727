// The account fields' rules, shared by registration (auth) and the admin editor (users): one spelling of
// what an email address and a username may be. Here rather than in either feature, so that neither
// feature has to import the other's schemas (auth already uses users' front door: an import cycle).
import { z } from "zod";

/** Registration's email rule: trimmed, at most 64 characters, valid, stored lower-cased. */
export const email = z
  .string()
  .trim()
  .min(1, "Email is required.")
  .max(64, "Email must be at most 64 characters.")
  .pipe(z.email("Enter a valid email address."))
  .transform((s) => s.toLowerCase());

export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.]*$/;
/** Registration's username rule (uniqueness is checked against the database). */
export const username = z
  .string()
  .trim()
  .min(1, "Username is required.")
  .max(64, "Username must be at most 64 characters.")
  .regex(USERNAME_PATTERN, "Usernames must start with a letter and have only letters, numbers, dots or underscores.");
