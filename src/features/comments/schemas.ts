// The comment form: Markdown source, required, at most 1,000 characters.
import { z } from "zod";
import { t } from "../../i18n";
import { MAX_COMMENT_LENGTH } from "../../lib/markdown";

export const commentSchema = z.object({
  body: z
    .string()
    .refine((s) => s.trim().length > 0, { error: () => t("comments.v.empty") })
    .refine((s) => s.length <= MAX_COMMENT_LENGTH, { error: () => t("comments.v.tooLong", { max: MAX_COMMENT_LENGTH }) }),
});
