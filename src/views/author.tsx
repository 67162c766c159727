// The author of an entry (a post, a comment): the avatar beside it and the name that opens it. The avatar
// link is hidden from screen readers and the tab order: the name beside it is the same link.
//
// Every username link (ProfileLink) also carries the profile popup (issue 12): with JavaScript, resting the
// pointer on the name for half a second, or focusing it with the keyboard, loads a small profile card from
// /user/<name>/popup ONCE into the empty span after the link; public/app.css shows it while the name or the
// card is hovered or focused, public/app.js closes it on Escape and keeps a second trigger from reloading it.
// Without JavaScript the span stays empty (and hidden) and the link simply goes to the profile.
import type { Child } from "hono/jsx";
import { Avatar } from "./avatar";

export type EntryAuthor = { authorId: number; authorUsername: string; authorName: string | null; authorAvatar: string | null };

export const profilePath = (username: string) => `/user/${encodeURIComponent(username)}`;

/** The address of a member's popup card (features/users serves it). */
export const profilePopupPath = (username: string) => `${profilePath(username)}/popup`;

/** A link to a member's profile with the hover/focus popup card. `children` is what the link says. */
export function ProfileLink(props: { username: string; class?: string; children: Child }) {
  return (
    <span class="profile-link">
      <a
        href={profilePath(props.username)}
        class={props.class}
        hx-get={profilePopupPath(props.username)}
        hx-trigger="mouseenter delay:500ms once, focus once"
        hx-target="next"
        hx-swap="innerHTML"
        data-profile-popup=""
      >
        {props.children}
      </a>
      <span class="profile-popup" />
    </span>
  );
}

export function AuthorAvatar(props: { author: EntryAuthor; size: number }) {
  const a = props.author;
  return (
    <a href={profilePath(a.authorUsername)} class="post-avatar" tabindex={-1} aria-hidden="true">
      <Avatar user={{ id: a.authorId, username: a.authorUsername, avatar: a.authorAvatar }} size={props.size} />
    </a>
  );
}

export function AuthorName(props: { author: EntryAuthor }) {
  const a = props.author;
  return (
    <ProfileLink username={a.authorUsername} class="post-author">
      {a.authorName || a.authorUsername}
    </ProfileLink>
  );
}
