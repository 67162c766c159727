// Numeric ids in URLs, spelled one way everywhere: a positive integer without leading zeros, at most
// 15 digits (below 2^53, so Number() is exact). One spelling per resource means one URL per resource:
// /post/007 and /api/v1/posts/0 name nothing (404), on the web, in the API and for the beacon alike.

/** The id's digits as a regex source, for Hono route patterns (`:id{...}`) and composed patterns. */
export const ID_PATTERN = "[1-9][0-9]{0,14}";

const ID = new RegExp(`^${ID_PATTERN}$`);

/** The id a path segment names, or null when it is not an id's spelling. */
export function parseId(raw: string | undefined): number | null {
  return raw !== undefined && ID.test(raw) ? Number(raw) : null;
}
