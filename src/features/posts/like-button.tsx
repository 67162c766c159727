// The like control under every post: a one-button form (POST, works without JavaScript) that htmx swaps
// for the new button in place. Anonymous visitors (liked = null) see the count only.
export function likeCountText(n: number): string {
  return `${n.toLocaleString("en")} like${n === 1 ? "" : "s"}`;
}

export function LikeButton(props: { postId: number; likeCount: number; liked: boolean | null }) {
  const { postId, likeCount, liked } = props;
  if (liked === null) return <span class="like-count">{likeCountText(likeCount)}</span>;
  const action = `/post/${postId}/${liked ? "unlike" : "like"}`;
  return (
    <form class="like-form" method="post" action={action} hx-post={action} hx-target="this" hx-swap="outerHTML">
      <button type="submit" class="like-button" aria-pressed={liked ? "true" : "false"}>
        {liked ? "♥ Liked" : "♡ Like"}
      </button>{" "}
      <a class="like-count" href={`/post/${postId}#liked-by`}>
        {likeCountText(likeCount)}
      </a>
    </form>
  );
}
