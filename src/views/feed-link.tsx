// Where the Atom feeds live (features/feeds serves them) and the <head> links that let browsers, feed readers
// and fediverse servers find a page's feed or ActivityPub twin. Shared here because posts and users link to
// them and the feeds and federation features import both.

export const EXPLORE_FEED_PATH = "/explore/feed.atom";
export const profileFeedPath = (username: string) => `/user/${encodeURIComponent(username)}/feed.atom`;

export function FeedLink(props: { href: string; title: string }) {
  return <link rel="alternate" type="application/atom+xml" title={props.title} href={props.href} />;
}

/** A member's ActivityPub actor (features/federation serves it at /users/<id>). */
export const actorPath = (userId: number) => `/users/${userId}`;

export function ActorLink(props: { userId: number }) {
  return <link rel="alternate" type="application/activity+json" href={actorPath(props.userId)} />;
}
