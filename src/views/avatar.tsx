// A member's avatar, sized for where it is shown: their upload, Gravatar if they opted in, else Roost's
// generated default (lib/avatar.ts decides which).
import { type AvatarOwner, avatarUrl } from "../lib/avatar";

export function Avatar(props: { user: AvatarOwner; size: number; alt?: string }) {
  return (
    <img
      class="avatar"
      src={avatarUrl(props.user, props.size)}
      width={props.size}
      height={props.size}
      alt={props.alt ?? ""}
      loading="lazy"
      referrerpolicy="no-referrer"
    />
  );
}
