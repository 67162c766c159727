// Fediverse handles (`@bob@mastodon.example`): one pattern for what a person types to follow someone elsewhere
// (features/federation) and for the generated picture Roost draws for a remote person (the avatar route), so the
// two cannot disagree on what a handle is.

/** `@user@host[:port]` (the leading `@` optional): letters and digits of any script, `_`, `.` and `-` in the user. */
const HANDLE = /^@?([\p{L}\p{N}_.-]{1,100})@([a-z0-9.-]{1,253}(?::\d{1,5})?)$/iu;

/**
 * The user and host of a handle, or null for anything else. The host is lower-cased (host names are
 * case-insensitive); the user is kept as written.
 *
 * @example parseHandle("@Bob@Mastodon.Example") // { user: "Bob", host: "mastodon.example" }
 */
export function parseHandle(text: string): { user: string; host: string } | null {
  const m = text.match(HANDLE);
  return m?.[1] && m[2] ? { user: m[1], host: m[2].toLowerCase() } : null;
}
