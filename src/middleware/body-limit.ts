// The web app's request-body limit: 64 KiB for every form, except the routes listed here that take a
// file (the avatar upload: a 1 MB picture plus the multipart framing). Over the limit is a 413 with a
// plain message, before any route or the form parser reads the body.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { WebEnv } from "../env";
import { type PlainKey, t } from "../i18n";
import { AVATAR_MAX_BYTES } from "../lib/avatar";
import { AppError } from "../lib/errors";

export const MAX_FORM_BODY = 64 * 1024;
/** Room for the multipart boundary and part headers around the largest picture we accept. */
export const MAX_AVATAR_BODY = AVATAR_MAX_BYTES + 16 * 1024;

/** Exact paths that take a larger body; everything else gets MAX_FORM_BODY. */
export const LARGER_BODIES: Record<string, number> = { "/edit-profile/avatar": MAX_AVATAR_BODY };

// The message is looked up when the limit is hit, in the reader's language (readerLocale runs first).
const limiter = (maxSize: number, message: PlainKey) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError(413, t(message));
    },
  });

const forms = limiter(MAX_FORM_BODY, "error.tooLarge");
const larger = new Map(Object.entries(LARGER_BODIES).map(([path, max]) => [path, limiter(max, "users.avatar.tooLarge")]));

export const webBodyLimit: MiddlewareHandler<WebEnv> = (c, next) => (larger.get(c.req.path) ?? forms)(c, next);
