// Avatar routes (issue 15): the generated default picture for any possible username, a member's uploaded
// picture, and uploading or removing one's own. Pictures are public and cacheable; the upload is a
// multipart form (its larger body limit is in middleware/body-limit.ts).
import { Hono } from "hono";
import type { WebEnv } from "../../env";
import { type PlainKey, t } from "../../i18n";
import { defaultAvatarSvg } from "../../lib/avatar";
import { parseHandle } from "../../lib/handles";
import { parseId } from "../../lib/ids";
import { errorResponse } from "../../middleware/errors";
import { readFile } from "../../middleware/form-body";
import { withUser } from "../../middleware/permissions";
import { flash } from "../../views/flash";
import { redirect, renderPage } from "../../views/render";
import { type AvatarError, readAvatar, removeAvatar, uploadAvatar } from "./avatars";
import * as service from "./service";
import * as v from "./views";

export const avatarRoutes = new Hono<WebEnv>();

const YEAR = 365 * 24 * 3600;
/** An upload's refusal in the reader's language (AVATAR_ERRORS keeps the English the API answers with). */
const AVATAR_MESSAGES: Record<AvatarError, PlainKey> = {
  empty: "users.avatar.empty",
  tooLarge: "users.avatar.tooLarge",
  notAnImage: "users.avatar.notAnImage",
};
// Pictures are never documents: nothing in them may run, even when opened on their own.
const IMAGE_HEADERS = { "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox" };

// The default: drawn from the name alone, no query, so it tells nobody whether the account exists. A name is a
// possible username, or the handle of someone elsewhere (`@bob@mastodon.example`, issue 13: their own picture is
// never loaded here).
avatarRoutes.get("/avatars/:file{[^/]+\\.svg}", async (c) => {
  const name = decodeURIComponent(c.req.param("file").slice(0, -".svg".length));
  const drawable = service.isPossibleUsername(name) || (name.startsWith("@") && parseHandle(name) !== null);
  if (!drawable) return errorResponse(c, 404, t("users.noSuchPicture"));
  return c.body(defaultAvatarSvg(name), 200, {
    ...IMAGE_HEADERS,
    "Content-Type": "image/svg+xml; charset=utf-8",
    // Same name, same picture, for as long as this drawing lasts (a new drawing would get a new path).
    "Cache-Control": `public, max-age=${30 * 24 * 3600}`,
  });
});

// An uploaded picture: its URL carries the version, so the current one is cached for a year; an old or
// missing version is served but revalidated, so it never sticks.
avatarRoutes.get("/avatars/:id{[0-9]+}", async (c) => {
  const id = parseId(c.req.param("id"));
  const stored = id === null ? null : await readAvatar(c.env.AVATARS, id);
  if (!stored) return errorResponse(c, 404, t("users.noSuchPicture"));
  const current = stored.version !== "" && c.req.query("v") === stored.version;
  return c.body(stored.body, 200, {
    ...IMAGE_HEADERS,
    "Content-Type": stored.type,
    ETag: stored.etag,
    "Cache-Control": current ? `public, max-age=${YEAR}, immutable` : "no-cache",
  });
});

avatarRoutes.post(
  "/edit-profile/avatar",
  withUser(async (c, user) => {
    const db = c.get("db");
    const result = await uploadAvatar(db, c.env.AVATARS, user.id, await readFile(c, "avatar"));
    if (!result.ok) {
      const row = await service.getEditableProfile(db, user.id);
      const values = { name: row?.name ?? "", location: row?.location ?? "", about_me: row?.aboutMe ?? "", gravatar: row?.useGravatar ? "y" : "" };
      return renderPage(
        c,
        { title: t("users.editProfile"), status: result.status },
        <v.EditProfilePage username={user.username} values={values} avatar={v.avatarState(user, row, t(AVATAR_MESSAGES[result.error]))} />,
      );
    }
    await flash(c, t("users.flash.pictureUpdated"), "success");
    return redirect(c, "/edit-profile");
  }),
);

avatarRoutes.post(
  "/edit-profile/avatar/delete",
  withUser(async (c, user) => {
    await removeAvatar(c.get("db"), c.env.AVATARS, user.id);
    await flash(c, t("users.flash.pictureRemoved"), "success");
    return redirect(c, "/edit-profile");
  }),
);
