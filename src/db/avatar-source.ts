// The one SQL expression for "where does this member's picture come from" (lib/avatar.ts AvatarOwner):
// 'upload:<version>', 'gravatar:<md5>' for members who opted in, else NULL (the default SVG). Computed in
// SQL so the email's MD5 never leaves D1 for anyone who did not opt in to Gravatar.
import { type SQL, sql } from "drizzle-orm";

/** For a users table aliased `alias` in a raw query ("u"), or the unaliased table ("users"). */
export function avatarSourceSql(alias: string): SQL<string | null> {
  const t = sql.raw(`"${alias}"`);
  return sql<
    string | null
  >`CASE WHEN ${t}.avatar_version IS NOT NULL THEN 'upload:' || ${t}.avatar_version WHEN ${t}.use_gravatar THEN 'gravatar:' || ${t}.avatar_hash END`;
}
