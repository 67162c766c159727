// The comment form: Markdown source, required, at most 1,000 characters.
import { z } from "zod";
import { MAX_COMMENT_LENGTH } from "../../lib/markdown";

export const commentSchema = z.object({
  body: z
    .string()
    .refine((s) => s.trim().length > 0, "Write a comment first.")
    .refine((s) => s.length <= MAX_COMMENT_LENGTH, `Comments can be at most ${MAX_COMMENT_LENGTH.toLocaleString("en")} characters.`),
});
