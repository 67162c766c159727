// Profiles, profile editing, the admin editor, follow/unfollow and follower lists: thin handlers that
// validate, call the users service and render (a fragment for htmx partial requests) or redirect.
import type { Context } from "hono";
import { Hono } from "hono";
import type { WebEnv } from "../../env";
import { eventContextOf } from "../../events/request";
import { resolveLocale, switchLocale, t } from "../../i18n";
import { validate } from "../../lib/forms";
import { parseId } from "../../lib/ids";
import { parsePageNumber, parsePageRequest } from "../../lib/pagination";
import { can, Permission } from "../../lib/permissions";
import { errorResponse } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { requireLogin, requirePermission, withUser } from "../../middleware/permissions";
import { ActorLink, FeedLink, profileFeedPath } from "../../views/feed-link";
import { flash } from "../../views/flash";
import { readerTimeZone } from "../../views/reader";
import { isPartial, redirect, renderPage } from "../../views/render";
import { LoadMoreFragment, listPosts } from "../posts";
import { avatarRoutes } from "./avatar-routes";
import { adminEditSchema, editProfileSchema } from "./schemas";
import * as service from "./service";
import * as v from "./views";

export const userRoutes = new Hono<WebEnv>();
// First: "/edit-profile/avatar" must not reach the admin editor's "/edit-profile/:id".
userRoutes.route("/", avatarRoutes);

const profilePath = (username: string) => `/user/${encodeURIComponent(username)}`;
const NO_SUCH_USER = () => t("users.noSuchUser");

// --- Profile ------------------------------------------------------------------------------------

userRoutes.get("/user/:username", async (c) => {
  const db = c.get("db");
  const viewer = c.get("user");
  const profile = await service.getProfile(db, c.req.param("username"), viewer?.id ?? null);
  if (!profile) return errorResponse(c, 404, NO_SUCH_USER());
  const basePath = profilePath(profile.username);
  const posts = await listPosts(
    db,
    { kind: "author", authorId: profile.id },
    parsePageRequest((k) => c.req.query(k), { stackable: true }),
    "",
    undefined,
    viewer?.id ?? null,
  );
  const tz = readerTimeZone(c);
  const now = Date.now();
  const who = {
    isSelf: viewer?.id === profile.id,
    isAdmin: can(viewer, Permission.ADMIN),
    canFollow: can(viewer, Permission.FOLLOW),
    canMessage: !!viewer?.confirmed,
    canBlock: !!viewer?.confirmed,
  };
  return renderPage(
    c,
    // "Load more" (a partial request for the next page) gets just the next items.
    {
      title: profile.username,
      head: (
        <>
          <FeedLink href={profileFeedPath(profile.username)} title={`${profile.username}'s posts`} />
          {profile.federated && <ActorLink userId={profile.id} />}
        </>
      ),
      fragment: <LoadMoreFragment page={posts} basePath={basePath} tz={tz} now={now} stackTop={c.req.query("stack") === "1"} />,
    },
    <v.ProfilePage profile={profile} viewer={who} posts={posts} tz={tz} now={now} />,
  );
});

// --- Profile popup (issue 12) -------------------------------------------------------------------

// The card every username link loads once on hover or focus (views/author.tsx ProfileLink): one statement
// (the profile header's query: the user and every count). For visitors without a session it is the same
// for everyone, so the edge cache keeps it (edge-cache/pages.ts, purged with the profile); a member's copy
// says whether they follow this person, so it is private and never stored.
userRoutes.get("/user/:username/popup", async (c) => {
  const viewer = c.get("user");
  if (viewer) c.header("Cache-Control", "private, no-store");
  const profile = await service.getProfile(c.get("db"), c.req.param("username"), viewer?.id ?? null);
  if (!profile) return c.html(<v.ProfilePopupMissing message={NO_SUCH_USER()} />, 404);
  const canFollow = can(viewer, Permission.FOLLOW) && viewer?.id !== profile.id;
  return c.html(<v.ProfilePopup profile={profile} canFollow={canFollow} />);
});

// --- Follow / unfollow --------------------------------------------------------------------------

const MESSAGES: Record<service.FollowOutcome, (u: string) => string> = {
  followed: (username) => t("users.flash.followed", { username }),
  "already-following": (username) => t("users.flash.alreadyFollowing", { username }),
  unfollowed: (username) => t("users.flash.unfollowed", { username }),
  "not-following": (username) => t("users.flash.notFollowing", { username }),
  self: () => t("users.flash.self"),
  // Neutral on purpose: it says neither who blocked whom nor that anyone did (features/blocks).
  blocked: () => t("users.followBlocked"),
};

/**
 * Without JavaScript: redirect to the profile with a flash. With htmx: the new button (and follower
 * count) in place; a refused action answers 409 with the message shown where the button was.
 */
async function answerFollow(c: Context<WebEnv>, result: service.FollowResult): Promise<Response> {
  if (result.outcome === "unknown-user") return errorResponse(c, 404, NO_SUCH_USER());
  const { outcome, user, followerCount } = result;
  const message = MESSAGES[outcome](user.username);
  const ok = outcome === "followed" || outcome === "unfollowed";
  if (!isPartial(c)) {
    await flash(c, message, ok ? "success" : "error");
    return redirect(c, profilePath(user.username));
  }
  c.header("Vary", "HX-Request, HX-Request-Type", { append: true });
  if (outcome === "self") return c.html(<v.FollowNotice message={message} />, 409);
  if (outcome === "blocked") return c.html(<v.FollowButton userId={user.id} username={user.username} following={false} message={message} error />, 403);
  const following = outcome === "followed" || outcome === "already-following";
  return c.html(
    <v.FollowFragment userId={user.id} username={user.username} following={following} followerCount={followerCount} message={message} error={!ok} />,
    ok ? 200 : 409,
  );
}

const followGuard = [requireLogin, requirePermission(Permission.FOLLOW)] as const;

userRoutes.post(
  "/follow/:username",
  ...followGuard,
  withUser(async (c, user) => answerFollow(c, await service.followUser(eventContextOf(c), user.id, c.req.param("username") ?? ""))),
);

userRoutes.post(
  "/unfollow/:username",
  ...followGuard,
  withUser(async (c, user) => answerFollow(c, await service.unfollowUser(eventContextOf(c), user.id, c.req.param("username") ?? ""))),
);

// Every state change is a POST: a GET (a crawler, a prefetch, an old Flasky link) changes nothing.
for (const path of ["/follow/:username", "/unfollow/:username"]) {
  userRoutes.get(path, (c) => {
    c.header("Allow", "POST");
    return errorResponse(c, 405, t("users.useFollowButtons"));
  });
}

// --- Follower lists -----------------------------------------------------------------------------

function followList(kind: service.FollowListKind, prefix: string) {
  return async (c: Context<WebEnv>) => {
    const page = parsePageNumber(c.req.query("page"));
    const list = await service.listFollows(c.get("db"), kind, c.req.param("username") ?? "", page, c.get("user")?.id ?? null);
    if (!list) return errorResponse(c, 404, NO_SUCH_USER());
    const basePath = `${prefix}/${encodeURIComponent(list.user.username)}`;
    return renderPage(
      c,
      { title: v.followListTitle(kind, list.user.username) },
      <v.FollowListPage kind={kind} list={list} basePath={basePath} tz={readerTimeZone(c)} now={Date.now()} own={c.get("user")?.id === list.user.id} />,
    );
  };
}

userRoutes.get("/followers/:username", followList("followers", "/followers"));
userRoutes.get("/followed_by/:username", followList("following", "/followed_by"));

// --- Edit your own profile ----------------------------------------------------------------------

userRoutes.get(
  "/edit-profile",
  withUser(async (c, user) => {
    const row = await service.getEditableProfile(c.get("db"), user.id);
    const values = {
      name: row?.name ?? "",
      location: row?.location ?? "",
      about_me: row?.aboutMe ?? "",
      gravatar: row?.useGravatar ? "y" : "",
      locale: row?.locale ?? "",
    };
    return renderPage(c, { title: t("users.editProfile") }, <v.EditProfilePage username={user.username} values={values} avatar={v.avatarState(user, row)} />);
  }),
);

userRoutes.post(
  "/edit-profile",
  withUser(async (c, user) => {
    const form = validate(editProfileSchema, await readForm(c));
    if (!form.ok) {
      const row = isPartial(c) ? null : await service.getEditableProfile(c.get("db"), user.id);
      return renderPage(
        c,
        { title: t("users.editProfile"), status: 422, fragment: <v.EditProfileForm {...form} /> },
        <v.EditProfilePage username={user.username} {...form} avatar={v.avatarState(user, row)} />,
      );
    }
    await service.updateProfile(eventContextOf(c), user.id, form.data);
    // The confirmation (and the next page) in the language just chosen.
    switchLocale(resolveLocale(form.data.locale, c.req.header("Accept-Language")));
    await flash(c, t("users.flash.profileUpdated"), "success");
    return redirect(c, profilePath(user.username));
  }),
);

// --- Admin editor -------------------------------------------------------------------------------

const adminGuard = [requireLogin, requirePermission(Permission.ADMIN)] as const;

userRoutes.get("/edit-profile/:id", ...adminGuard, async (c) => {
  const id = parseId(c.req.param("id"));
  const found = id === null ? null : await service.getUserForAdmin(c.get("db"), id);
  if (!found) return errorResponse(c, 404, t("users.noSuchId"));
  const u = found.user;
  const values = {
    email: u.email,
    username: u.username,
    confirmed: u.confirmed ? "y" : "",
    role: String(u.roleId),
    name: u.name ?? "",
    location: u.location ?? "",
    about_me: u.aboutMe ?? "",
  };
  return renderPage(c, { title: t("users.editProfile") }, <v.AdminEditPage id={u.id} username={u.username} roles={found.roles} values={values} />);
});

userRoutes.post("/edit-profile/:id", ...adminGuard, async (c) => {
  const id = parseId(c.req.param("id"));
  if (id === null) return errorResponse(c, 404, t("users.noSuchId"));
  const db = c.get("db");
  const raw = await readForm(c);
  const form = validate(adminEditSchema, raw);
  const failed = (username: string, roles: service.RoleOption[], errors: Record<string, string>) => {
    const state = { id, roles, values: raw, errors };
    return renderPage(
      c,
      { title: t("users.editProfile"), status: 422, fragment: <v.AdminEditForm {...state} /> },
      <v.AdminEditPage {...state} username={username} />,
    );
  };
  if (!form.ok) {
    // The form is re-rendered with the roles to choose from; an unknown id is still a 404.
    const found = await service.getUserForAdmin(db, id);
    if (!found) return errorResponse(c, 404, t("users.noSuchId"));
    return failed(found.user.username, found.roles, form.errors);
  }
  const result = await service.adminUpdateUser(db, id, form.data);
  if (!result.ok) {
    if (result.notFound) return errorResponse(c, 404, t("users.noSuchId"));
    return failed(result.currentUsername, result.roles, result.errors);
  }
  await flash(c, t("users.flash.adminUpdated"), "success");
  return redirect(c, profilePath(result.username));
});
