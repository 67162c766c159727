// The last Administrator rule: someone must always be left to moderate and to edit roles, so the last
// confirmed Administrator can neither delete their account nor be demoted or unconfirmed. The rule is a
// SQL condition placed in the WHERE of the DELETE / UPDATE itself, so two Administrators removing
// themselves at the same moment cannot both succeed (D1 runs statements one at a time).
import { sql } from "drizzle-orm";
import { users } from "../../db/schema";
import { Permission } from "../../lib/permissions";

/**
 * True for the `users` row being written when it is a confirmed Administrator (a role with the ADMIN bit)
 * and no other confirmed user holds ADMIN. An unconfirmed Administrator does not count: the unconfirmed
 * gate keeps it from every page that moderates.
 *
 * @example db.delete(users).where(and(eq(users.id, id), not(isLastAdministrator)))
 */
export const isLastAdministrator = sql`(
  ${users.confirmed} = 1
  AND (SELECT r.permissions & ${Permission.ADMIN} FROM roles r WHERE r.id = ${users.roleId}) != 0
  AND NOT EXISTS (
    SELECT 1 FROM users other JOIN roles r ON r.id = other.role_id
    WHERE other.id != ${users.id} AND other.confirmed = 1 AND (r.permissions & ${Permission.ADMIN}) != 0
  )
)`;

export const LAST_ADMIN_SELF = "You are the last Administrator: make someone else Administrator first, so someone can still moderate.";
export const LAST_ADMIN_OTHER = "This is the last Administrator: make someone else Administrator first.";
