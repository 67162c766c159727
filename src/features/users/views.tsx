// User pages: the profile (header, follow button, posts), the profile editors and the follower lists.
// The follow button and each form are their own components so htmx partial requests get just them back.
import type { Child } from "hono/jsx";
import { LOCALES, t, tn } from "../../i18n";
import type { AvatarOwner } from "../../lib/avatar";
import type { FieldErrors } from "../../lib/forms";
import type { KeysetPage } from "../../lib/pagination";
import { longDate } from "../../lib/time";
import { EmailField, UsernameField } from "../../views/account-fields";
import { Avatar } from "../../views/avatar";
import { BlockButton } from "../../views/block-button";
import { Checkbox, Field, FormError, HxForm, Select, TextArea } from "../../views/form";
import { DataTable } from "../../views/table";
import { RelTime } from "../../views/time";
import { Badge } from "../../views/ui/badge";
import { ButtonLink } from "../../views/ui/button";
import { EmptyState } from "../../views/ui/empty-state";
import type { PostListItem } from "../posts";
import { PostList } from "../posts";
import { ABOUT_MAX, LOCATION_MAX, NAME_MAX } from "./schemas";
import type { EditableProfile, FollowListPage as FollowList, FollowListKind, ProfileRow, RoleOption } from "./service";

type FormState = { values?: Record<string, string>; errors?: FieldErrors };

const profilePath = (username: string) => `/user/${encodeURIComponent(username)}`;
const mapSearch = (location: string) => `https://www.openstreetmap.org/search?query=${encodeURIComponent(location)}`;

// --- Follow button ------------------------------------------------------------------------------

/**
 * Every follow form names whom it follows (`data-follow-of`), so an answer can replace all of that person's
 * forms on the page out of band (the profile's and any popup card's): a block does (features/blocks).
 */
const followFormAttrs = (userId: number, oob?: boolean) => ({
  "data-follow-of": String(userId),
  "hx-swap-oob": oob ? `outerHTML:[data-follow-of="${userId}"]` : undefined,
});

export function FollowerCount(props: { username: string; count: number; oob?: boolean }) {
  return (
    <a id="follower-count" href={`/followers/${encodeURIComponent(props.username)}`} hx-swap-oob={props.oob ? "true" : undefined}>
      {tn("users.followers", props.count)}
    </a>
  );
}

/**
 * Follow / Unfollow as a one-button form: without JavaScript a POST and a redirect back; with htmx it
 * replaces itself with the new state. `message` shows the outcome (or why nothing changed) in place.
 */
export function FollowButton(props: { userId: number; username: string; following: boolean; message?: string; error?: boolean; oob?: boolean }) {
  const action = `/${props.following ? "unfollow" : "follow"}/${encodeURIComponent(props.username)}`;
  return (
    <form class="follow-form" method="post" action={action} hx-post={action} hx-target="this" hx-swap="outerHTML" {...followFormAttrs(props.userId, props.oob)}>
      <button type="submit" class={props.following ? "button-secondary" : undefined}>
        {props.following ? t("users.unfollow") : t("users.follow")}
      </button>
      {props.message && (
        <span class={props.error ? "follow-message error" : "follow-message"} role={props.error ? "alert" : "status"}>
          {props.message}
        </span>
      )}
    </form>
  );
}

/** Where a profile popup card shows this user's follower count (each card for them on the page has it). */
const followersOf = (userId: number) => `followers-of-${userId}`;

/**
 * What a partial follow/unfollow request gets: the new button and the new count, out of band for the profile
 * page (#follower-count) and for every popup card of this user on the page (.followers-of-<id>). htmx drops
 * an out-of-band part whose target the page does not have.
 */
export function FollowFragment(props: { userId: number; username: string; following: boolean; followerCount: number; message: string; error?: boolean }) {
  return (
    <>
      <FollowButton userId={props.userId} username={props.username} following={props.following} message={props.message} error={props.error} />
      <FollowerCount username={props.username} count={props.followerCount} oob />
      <span hx-swap-oob={`innerHTML:.${followersOf(props.userId)}`}>{tn("users.followers", props.followerCount)}</span>
    </>
  );
}

/** In place of the button when the action cannot apply at all (unfollowing oneself). */
export function FollowNotice(props: { message: string }) {
  return (
    <p class="follow-message error" role="alert">
      {props.message}
    </p>
  );
}

// --- Profile ------------------------------------------------------------------------------------

export type ProfileViewer = { isSelf: boolean; isAdmin: boolean; canFollow: boolean; canMessage: boolean; canBlock: boolean };

export function ProfilePage(props: { profile: ProfileRow; viewer: ProfileViewer; posts: KeysetPage<PostListItem>; tz: string; now: number }) {
  const { profile: p, viewer, tz, now } = props;
  return (
    <article class="profile">
      <header class="profile-header">
        <Avatar user={p} size={128} alt="" />
        <div class="profile-info">
          <h1>{p.username}</h1>
          {p.name && <p class="profile-name">{p.name}</p>}
          {p.location && (
            <p class="profile-location">
              {t("users.from")}{" "}
              <a href={mapSearch(p.location)} rel="noopener noreferrer nofollow">
                {p.location}
              </a>
            </p>
          )}
          {viewer.isAdmin && (
            <p class="profile-email">
              <a href={`mailto:${p.email}`}>{p.email}</a>
            </p>
          )}
          {/* Plain text: escaped by JSX, line breaks kept by CSS (white-space: pre-line). */}
          {p.aboutMe && <p class="about-me">{p.aboutMe}</p>}
          <p class="muted profile-dates">
            {t("users.memberSince", { date: longDate(p.memberSince, tz) })} {t("users.lastSeen")} <RelTime ts={p.lastSeen} tz={tz} now={now} />.
          </p>
          <ul class="profile-stats">
            <li>{tn("users.posts", p.postCount)}</li>
            {/* Views are the author's alone (features/sites own-posts.ts): only on their own profile. */}
            {viewer.isSelf && (
              <li>
                <a href="/posts/stats">{t("users.viewsOfYourPosts")}</a>
              </li>
            )}
            <li>
              <FollowerCount username={p.username} count={p.followerCount} />
            </li>
            <li>
              <a href={`/followed_by/${encodeURIComponent(p.username)}`}>{t("users.following", { count: p.followingCount })}</a>
            </li>
            {p.followsViewer && (
              <li>
                <Badge>{t("users.followsYou")}</Badge>
              </li>
            )}
          </ul>
          <div class="profile-actions">
            {viewer.canFollow && !viewer.isSelf && <FollowButton userId={p.id} username={p.username} following={p.viewerFollows} />}
            {viewer.canBlock && !viewer.isSelf && <BlockButton username={p.username} blocked={p.viewerBlocks} />}
            {viewer.canMessage && !viewer.isSelf && <ButtonLink href={`/messages/${encodeURIComponent(p.username)}`}>{t("users.sendMessage")}</ButtonLink>}
            {viewer.isSelf && <ButtonLink href="/edit-profile">{t("users.editProfile")}</ButtonLink>}
            {viewer.isAdmin && (
              <ButtonLink href={`/edit-profile/${p.id}`} variant="danger">
                {t("users.editProfileAdmin")}
              </ButtonLink>
            )}
          </div>
        </div>
      </header>
      <h2>{t("users.postsBy", { username: p.username })}</h2>
      <PostList page={props.posts} basePath={profilePath(p.username)} tz={tz} now={now} empty={t("users.noPosts", { username: p.username })} />
    </article>
  );
}

// --- Profile popup (issue 12) -------------------------------------------------------------------

/**
 * The small card a username link shows on hover or focus (views/author.tsx ProfileLink loads it into the
 * span after the link). The follow button only for a member who may follow and is not this person; its
 * htmx answer swaps the button in place and updates this card's follower count (see FollowFragment).
 */
export function ProfilePopup(props: { profile: ProfileRow; canFollow: boolean }) {
  const { profile: p } = props;
  const path = profilePath(p.username);
  return (
    <div class="profile-card">
      <span class="profile-card-avatar">
        <Avatar user={p} size={48} />
      </span>
      <div class="profile-card-info">
        <p class="profile-card-name">
          {/* The name that opened the card is this same link: one tab stop is enough. */}
          <a href={path} tabindex={-1}>
            {p.name || p.username}
          </a>
          {p.name && <span class="muted"> @{p.username}</span>}
        </p>
        <ul class="profile-card-stats">
          <li>{tn("users.posts", p.postCount)}</li>
          <li class={followersOf(p.id)}>{tn("users.followers", p.followerCount)}</li>
          <li>{t("users.following", { count: p.followingCount })}</li>
          {p.followsViewer && (
            <li>
              <Badge>{t("users.followsYou")}</Badge>
            </li>
          )}
        </ul>
        {props.canFollow && <FollowButton userId={p.id} username={p.username} following={p.viewerFollows} />}
      </div>
    </div>
  );
}

/** The popup's answer for a name nobody has (any more): said in the card's place. */
export function ProfilePopupMissing(props: { message: string }) {
  return (
    <div class="profile-card profile-card-missing">
      <p class="muted">{props.message}</p>
    </div>
  );
}

// --- Form parts these editors need beyond views/form.tsx ----------------------------------------

function ProfileFields(props: { form: string } & Required<FormState>) {
  const { form: f, values, errors } = props;
  return (
    <>
      <Field form={f} name="name" label={t("users.realName")} value={values.name} error={errors.name} autocomplete="name" maxlength={NAME_MAX} />
      <Field form={f} name="location" label={t("users.location")} value={values.location} error={errors.location} maxlength={LOCATION_MAX} />
      <TextArea
        form={f}
        name="about_me"
        label={t("users.aboutMe")}
        value={values.about_me}
        error={errors.about_me}
        maxlength={ABOUT_MAX}
        hint={t("users.aboutHint", { max: String(ABOUT_MAX) })}
      />
    </>
  );
}

// --- Edit your own profile ----------------------------------------------------------------------

export function EditProfileForm({ values = {}, errors = {} }: FormState) {
  return (
    <HxForm id="edit-profile-form" action="/edit-profile">
      <FormError error={errors._form} />
      <ProfileFields form="edit-profile" values={values} errors={errors} />
      <Select
        form="edit-profile"
        name="locale"
        label={t("language.label")}
        hint={t("language.hint")}
        value={values.locale ?? ""}
        error={errors.locale}
        options={[{ value: "", label: t("language.automatic") }, ...LOCALES.map((l) => ({ value: l, label: t(`language.${l}`) }))]}
      />
      <Checkbox form="edit-profile" name="gravatar" label={t("users.gravatar")} checked={!!values.gravatar} />
      <small class="hint">{t("users.gravatarHint")}</small>
      <button type="submit">{t("common.save")}</button>
    </HxForm>
  );
}

export type AvatarState = { owner: AvatarOwner; hasUpload: boolean; error?: string };

/**
 * The picture: upload (a plain multipart form, so it works without JavaScript) and remove. The server
 * checks the bytes; `accept` only filters the file chooser.
 */
export function AvatarSection(props: AvatarState) {
  return (
    <section class="avatar-editor" id="avatar-editor" aria-labelledby="avatar-heading">
      <h2 id="avatar-heading">{t("users.picture")}</h2>
      <Avatar user={props.owner} size={96} alt={t("users.currentPicture")} />
      <form class="stack-form" method="post" action="/edit-profile/avatar" enctype="multipart/form-data">
        <FormError error={props.error} />
        <div class="field">
          <label for="avatar-file">{t("users.uploadPicture")}</label>
          <input id="avatar-file" name="avatar" type="file" accept="image/png,image/jpeg,image/webp" aria-describedby="avatar-hint" />
          <small class="hint" id="avatar-hint">
            {t("users.pictureHint")}
          </small>
        </div>
        <button type="submit">{t("users.upload")}</button>
      </form>
      {props.hasUpload && (
        <form method="post" action="/edit-profile/avatar/delete">
          <button type="submit" class="button-secondary">
            {t("users.removePicture")}
          </button>
        </form>
      )}
    </section>
  );
}

/** The picture part of the edit page, from the row getEditableProfile read. */
export function avatarState(user: { id: number; username: string }, row: EditableProfile | null, error?: string): AvatarState {
  return { owner: { id: user.id, username: user.username, avatar: row?.avatar ?? null }, hasUpload: row?.hasUpload ?? false, error };
}

export function EditProfilePage(props: FormState & { username: string; avatar: AvatarState }) {
  return (
    <section class="narrow">
      <h1>{t("users.editYourProfile")}</h1>
      <AvatarSection {...props.avatar} />
      <h2>{t("users.aboutYou")}</h2>
      <EditProfileForm values={props.values} errors={props.errors} />
      <p>
        <a href={profilePath(props.username)}>{t("users.backToYourProfile")}</a>
      </p>
    </section>
  );
}

// --- Admin editor -------------------------------------------------------------------------------

export function AdminEditForm({ id, roles, values = {}, errors = {} }: FormState & { id: number; roles: RoleOption[] }) {
  const f = "admin-edit";
  const roleOptions = roles.map((r) => ({ value: String(r.id), label: r.name }));
  return (
    <HxForm id="admin-edit-form" action={`/edit-profile/${id}`}>
      <FormError error={errors._form} />
      <EmailField form={f} label={t("auth.email")} value={values.email} error={errors.email} autocomplete="off" />
      <UsernameField form={f} value={values.username} error={errors.username} autocomplete="off" />
      <Checkbox form={f} name="confirmed" label={t("users.confirmed")} checked={!!values.confirmed} />
      {errors.confirmed && <small class="error">{errors.confirmed}</small>}
      <Select form={f} name="role" label={t("users.role")} value={values.role} error={errors.role} options={roleOptions} />
      <ProfileFields form={f} values={values} errors={errors} />
      <button type="submit">{t("common.save")}</button>
    </HxForm>
  );
}

export function AdminEditPage(props: FormState & { id: number; username: string; roles: RoleOption[] }) {
  return (
    <section class="narrow">
      <h1>{t("users.editProfileOf", { username: props.username })}</h1>
      <AdminEditForm {...props} />
      <p>
        <a href={profilePath(props.username)}>{t("users.backToProfile")}</a>
      </p>
    </section>
  );
}

// --- Follower lists -----------------------------------------------------------------------------

const LIST_TEXT: Record<FollowListKind, { title: (u: string) => string; count: (n: number, u: string) => string; empty: (u: string) => string }> = {
  followers: {
    title: (username) => t("users.followersOf", { username }),
    count: (n, username) => tn("users.followersCount", n, { username }),
    empty: (username) => t("users.followersEmpty", { username }),
  },
  following: {
    title: (username) => t("users.followedBy", { username }),
    count: (n, username) => tn("users.followingCount", n, { username }),
    empty: (username) => t("users.followingEmpty", { username }),
  },
};

export const followListTitle = (kind: FollowListKind, username: string) => LIST_TEXT[kind].title(username);

/**
 * Block beside a remote follower, on the member's own followers list (features/federation's /fediverse/block;
 * plain markup, as users does not import federation): their follow ends and their server is told.
 */
function RemoteFollowerBlock(props: { item: FollowList["items"][number]; next: string }) {
  if (props.item.remoteActorId === null) return null;
  return (
    <form method="post" action={`/fediverse/block/${props.item.remoteActorId}`} class="block-form">
      <input type="hidden" name="next" value={props.next} />
      <button type="submit" class="link-button" aria-label={t("federation.block.blockLabel", { handle: props.item.username })}>
        {t("federation.block.button")}
      </button>
    </form>
  );
}

/** `own`: the viewer is the list's member (their followers list offers Block beside each remote follower). */
export function FollowListPage(props: { kind: FollowListKind; list: FollowList; basePath: string; tz: string; now: number; own?: boolean }) {
  const { kind, list, basePath, tz, now } = props;
  const text = LIST_TEXT[kind];
  const u = list.user.username;
  return (
    <section class="follow-list">
      <h1>{followListTitle(kind, u)}</h1>
      <p class="muted">
        {text.count(list.total, u)} <a href={profilePath(u)}>{t("users.backToProfileOf", { username: u })}</a>
      </p>
      {list.items.length === 0 ? (
        <EmptyState>
          <p>{list.page === 1 ? text.empty(u) : t("users.nobodyOnPage")}</p>
          {list.page > 1 && <a href={basePath}>{t("users.backToFirstPage")}</a>}
        </EmptyState>
      ) : (
        <>
          <DataTable
            columns={[{ header: t("users.user") }, { header: t("users.since") }]}
            rows={list.items}
            cells={(item) => (
              <>
                <td>
                  {item.remoteUrl ? (
                    // Someone elsewhere (issue 13): their profile on their own server; Roost's generated picture.
                    <a class="user-chip" href={item.remoteUrl} rel="nofollow noopener">
                      <Avatar user={{ id: 0, username: item.username, avatar: null }} size={32} />
                      <span>{item.username}</span>
                    </a>
                  ) : (
                    <a class="user-chip" href={profilePath(item.username)}>
                      <Avatar user={item} size={32} />
                      <span>{item.username}</span>
                    </a>
                  )}
                  {item.name && <span class="muted"> {item.name}</span>}
                  {props.own && kind === "followers" && <RemoteFollowerBlock item={item} next={basePath} />}
                </td>
                <td>
                  <RelTime ts={item.since} tz={tz} now={now} />
                </td>
              </>
            )}
          />
          <NumberPager basePath={basePath} page={list.page} totalPages={list.totalPages} />
        </>
      )}
    </section>
  );
}

/** Previous / page numbers / next for lists whose size is known (page links are plain ?page=N). */
function NumberPager(props: { basePath: string; page: number; totalPages: number }): Child {
  const { basePath, page, totalPages } = props;
  if (totalPages <= 1) return null;
  const href = (n: number) => (n === 1 ? basePath : `${basePath}?page=${n}`);
  // A window around the current page plus both ends keeps the pager short for long lists.
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, totalPages])].filter((n) => n >= 1 && n <= totalPages).sort((a, b) => a - b);
  const items: Child[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1]! > 1) items.push(<li class="muted">…</li>);
    items.push(<li>{n === page ? <span aria-current="page">{n}</span> : <a href={href(n)}>{n}</a>}</li>);
  });
  return (
    <nav class="pager number-pager" aria-label={t("pager.label")}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          ← {t("pager.newer")}
        </a>
      ) : (
        <span />
      )}
      <ul>{items}</ul>
      {page < totalPages ? (
        <a href={href(page + 1)} rel="next">
          {t("pager.older")} →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
