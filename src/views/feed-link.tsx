// Where the Atom feeds live (features/feeds serves them) and the <head> link that lets browsers and feed
// readers find them from the page they mirror. Shared here because posts and users link to them and the
// feeds feature imports both.

export const EXPLORE_FEED_PATH = "/explore/feed.atom";
export const profileFeedPath = (username: string) => `/user/${encodeURIComponent(username)}/feed.atom`;

export function FeedLink(props: { href: string; title: string }) {
  return <link rel="alternate" type="application/atom+xml" title={props.title} href={props.href} />;
}
