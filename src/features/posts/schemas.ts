// The post form: Markdown source, required, at most 5,000 characters.
import { z } from "zod";
import { MAX_POST_LENGTH } from "../../lib/markdown";

export const postSchema = z.object({
  body: z
    .string()
    .refine((s) => s.trim().length > 0, "Write something first.")
    .refine((s) => s.length <= MAX_POST_LENGTH, `Posts can be at most ${MAX_POST_LENGTH.toLocaleString("en")} characters.`),
});
