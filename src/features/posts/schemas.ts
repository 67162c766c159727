// The post form: Markdown source, required, at most 5,000 characters.
import { z } from "zod";
import { t } from "../../i18n";
import { MAX_POST_LENGTH } from "../../lib/markdown";

export const postSchema = z.object({
  body: z
    .string()
    .refine((s) => s.trim().length > 0, { error: () => t("posts.v.empty") })
    .refine((s) => s.length <= MAX_POST_LENGTH, { error: () => t("posts.v.tooLong", { max: MAX_POST_LENGTH }) }),
});
