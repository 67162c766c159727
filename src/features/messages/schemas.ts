// The message form: plain text, 1 to MAX_MESSAGE_LENGTH characters (what a person typed, not trimmed away).
import { z } from "zod";
import { t } from "../../i18n";

export const MAX_MESSAGE_LENGTH = 2000;

export const messageSchema = z.object({
  body: z
    .string()
    .refine((s) => s.trim().length > 0, { error: () => t("messages.required") })
    .refine((s) => s.length <= MAX_MESSAGE_LENGTH, { error: () => t("messages.tooLong", { max: MAX_MESSAGE_LENGTH }) }),
});
