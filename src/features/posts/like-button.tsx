// The like control under every post: a one-button form (POST, works without JavaScript) that htmx swaps
// for the new button in place. Anonymous visitors (liked = null) see the count only.
import { t, tn } from "../../i18n";
export function likeCountText(n: number): string {
  return tn("posts.likes", n);
}

export function LikeButton(props: { postId: number; likeCount: number; liked: boolean | null }) {
  const { postId, likeCount, liked } = props;
  if (liked === null) return <span class="like-count">{likeCountText(likeCount)}</span>;
  const action = `/post/${postId}/${liked ? "unlike" : "like"}`;
  return (
    <form class="like-form" method="post" action={action} hx-post={action} hx-target="this" hx-swap="outerHTML">
      <button type="submit" class="like-button" aria-pressed={liked ? "true" : "false"}>
        {liked ? `♥ ${t("posts.liked")}` : `♡ ${t("posts.like")}`}
      </button>{" "}
      <a class="like-count" href={`/post/${postId}#liked-by`}>
        {likeCountText(likeCount)}
      </a>
    </form>
  );
}
