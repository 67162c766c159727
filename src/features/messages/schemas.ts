// The message form: plain text, 1 to MAX_MESSAGE_LENGTH characters (what a person typed, not trimmed away).
import { z } from "zod";

export const MAX_MESSAGE_LENGTH = 2000;

export const messageSchema = z.object({
  body: z
    .string()
    .refine((s) => s.trim().length > 0, "Write a message first.")
    .refine((s) => s.length <= MAX_MESSAGE_LENGTH, `Messages can be at most ${MAX_MESSAGE_LENGTH.toLocaleString("en")} characters.`),
});
