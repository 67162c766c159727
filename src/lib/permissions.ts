// Role permission bits (Flasky's): a role's permissions are the OR of these.
export const Permission = {
  FOLLOW: 1,
  COMMENT: 2,
  WRITE: 4,
  MODERATE: 8,
  ADMIN: 16,
} as const;
export type PermissionBit = (typeof Permission)[keyof typeof Permission];

export const ROLE_PERMISSIONS = {
  User: Permission.FOLLOW | Permission.COMMENT | Permission.WRITE,
  Moderator: Permission.FOLLOW | Permission.COMMENT | Permission.WRITE | Permission.MODERATE,
  Administrator: 31,
} as const;

/** Anyone with a permission mask (or nobody): anonymous users have none. */
export function can(user: { permissions: number } | null | undefined, perm: PermissionBit): boolean {
  return !!user && (user.permissions & perm) === perm;
}
