// The author of an entry (a post, a comment): the avatar beside it and the name that opens it. The avatar
// link is hidden from screen readers and the tab order: the name beside it is the same link.
import { Avatar } from "./avatar";

export type EntryAuthor = { authorId: number; authorUsername: string; authorName: string | null; authorAvatar: string | null };

export const profilePath = (username: string) => `/user/${encodeURIComponent(username)}`;

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
    <a href={profilePath(a.authorUsername)} class="post-author">
      {a.authorName || a.authorUsername}
    </a>
  );
}
