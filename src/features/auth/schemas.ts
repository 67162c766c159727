// One zod schema per account form; field names follow Flasky's.
import { z } from "zod";
import { email, username } from "../../lib/validators";

const newPassword = z.string().min(8, "Password must be at least 8 characters.").max(128, "Password must be at most 128 characters.");

const passwordsMatch = (d: { password: string; password2: string }) => d.password === d.password2;
const mismatch = { message: "Passwords must match.", path: ["password2"] };

export const registerSchema = z.object({ email, username, password: newPassword, password2: z.string() }).refine(passwordsMatch, mismatch);

export const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email or username.").max(64, "Invalid email or password."),
  password: z.string().min(1, "Enter your password.").max(128, "Invalid email or password."),
  remember_me: z.string().optional(),
});

export const changePasswordSchema = z
  .object({ old_password: z.string().min(1, "Enter your current password.").max(128, "Invalid password."), password: newPassword, password2: z.string() })
  .refine(passwordsMatch, mismatch);

export const resetRequestSchema = z.object({ email });

export const resetSchema = z.object({ password: newPassword, password2: z.string() }).refine(passwordsMatch, mismatch);

export const changeEmailSchema = z.object({
  email,
  password: z.string().min(1, "Enter your password.").max(128, "Invalid password."),
});
