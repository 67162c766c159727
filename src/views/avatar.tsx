// Gravatar image for a user, sized for where it is shown.
import { gravatarUrl } from "../lib/avatar";

export function Avatar(props: { hash: string; size: number; alt?: string }) {
  return (
    <img
      class="avatar"
      src={gravatarUrl(props.hash, props.size * 2)}
      width={props.size}
      height={props.size}
      alt={props.alt ?? ""}
      loading="lazy"
      referrerpolicy="no-referrer"
    />
  );
}
