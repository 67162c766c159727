// POST /block/<username> and /unblock/<username>: thin handlers over the blocks service. Without JavaScript
// a redirect back (to `next` when it is a path on this site, else the profile) with a flash; with htmx the
// new button in place (and, on the profile, the follow button and follower count the block changed).
import type { Context } from "hono";
import { Hono } from "hono";
import type { WebEnv } from "../../env";
import { eventContextOf } from "../../events/request";
import { t } from "../../i18n";
import { safeNextPath } from "../../lib/safe-redirect";
import { errorResponse } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { withUser } from "../../middleware/permissions";
import { BlockButton } from "../../views/block-button";
import { flash } from "../../views/flash";
import { isPartial, redirect } from "../../views/render";
import { FollowButton, FollowerCount } from "../users";
import { type BlockResult, blockUser, unblockUser } from "./service";

export const blockRoutes = new Hono<WebEnv>();

const profilePath = (username: string) => `/user/${encodeURIComponent(username)}`;

async function answer(c: Context<WebEnv>, blocking: boolean, result: BlockResult): Promise<Response> {
  const next = safeNextPath((await readForm(c)).next) ?? undefined;
  const username = c.req.param("username") ?? "";
  if (!result.ok) {
    if (!isPartial(c) || result.status === 404) return errorResponse(c, result.status, result.message);
    // Refused in place: the button for the state the member is actually in, with the reason.
    return c.html(
      <BlockButton username={username} blocked={result.status === 409 ? blocking : !blocking} next={next} message={result.message} error />,
      result.status,
    );
  }
  const { user, followerCount } = result;
  const message = blocking ? t("blocks.blocked", { username: user.username }) : t("blocks.unblocked", { username: user.username });
  if (!isPartial(c)) {
    await flash(c, message, "success");
    return redirect(c, next ?? profilePath(user.username));
  }
  c.header("Vary", "HX-Request, HX-Request-Type", { append: true });
  return c.html(
    <>
      <BlockButton username={user.username} blocked={blocking} next={next} message={message} />
      {/* On the profile (no `next`), a block ended any follow: the follow button and count say so too. */}
      {blocking && !next && (
        <>
          <FollowButton userId={user.id} username={user.username} following={false} oob />
          <FollowerCount username={user.username} count={followerCount} oob />
        </>
      )}
    </>,
  );
}

blockRoutes.post(
  "/block/:username",
  withUser(async (c, user) => answer(c, true, await blockUser(eventContextOf(c), user.id, c.req.param("username") ?? ""))),
);
blockRoutes.post(
  "/unblock/:username",
  withUser(async (c, user) => answer(c, false, await unblockUser(eventContextOf(c), user.id, c.req.param("username") ?? ""))),
);

// Every state change is a POST: a GET (a crawler, a prefetch) changes nothing.
for (const path of ["/block/:username", "/unblock/:username"]) {
  blockRoutes.get(path, (c) => {
    c.header("Allow", "POST");
    return errorResponse(c, 405, t("blocks.useButtons"));
  });
}
