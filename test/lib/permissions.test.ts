// Role permissions (src/lib/permissions.ts): can() per role and for anonymous users, and the roles rows the migration creates (idempotently).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { can, Permission, type PermissionBit, ROLE_PERMISSIONS } from "../../src/lib/permissions";

const ALL = ["FOLLOW", "COMMENT", "WRITE", "MODERATE", "ADMIN"] as const;

const EXPECTED: Record<string, Record<(typeof ALL)[number], boolean>> = {
  User: { FOLLOW: true, COMMENT: true, WRITE: true, MODERATE: false, ADMIN: false },
  Moderator: { FOLLOW: true, COMMENT: true, WRITE: true, MODERATE: true, ADMIN: false },
  Administrator: { FOLLOW: true, COMMENT: true, WRITE: true, MODERATE: true, ADMIN: true },
};
const MASKS: Record<string, number> = { User: 7, Moderator: 15, Administrator: 31 };

type RoleRow = { id: number; name: string; is_default: number; permissions: number };

async function roleRows(): Promise<RoleRow[]> {
  const { results } = await env.DB.prepare("SELECT id, name, is_default, permissions FROM roles ORDER BY permissions").all<RoleRow>();
  return results;
}

// The statement of migrations/0001_roles.sql, verbatim (files cannot be read from inside workerd).
const ROLES_MIGRATION = `INSERT INTO \`roles\` (\`name\`, \`is_default\`, \`permissions\`) VALUES
  ('User', 1, 7),
  ('Moderator', 0, 15),
  ('Administrator', 0, 31)
ON CONFLICT(\`name\`) DO UPDATE SET \`is_default\` = excluded.\`is_default\`, \`permissions\` = excluded.\`permissions\`;`;

describe("can()", () => {
  it("has Flasky's bit values", () => {
    expect(Permission).toEqual({ FOLLOW: 1, COMMENT: 2, WRITE: 4, MODERATE: 8, ADMIN: 16 });
    expect(ROLE_PERMISSIONS).toEqual(MASKS);
  });

  for (const [role, row] of Object.entries(EXPECTED)) {
    it.each(ALL.map((p) => [p, row[p]] as const))(`${role} (${MASKS[role]}) can %s: %s`, (perm, allowed) => {
      expect(can({ permissions: MASKS[role]! }, Permission[perm])).toBe(allowed);
    });
  }

  it.each(ALL)("anonymous (null / undefined) cannot %s", (perm) => {
    expect(can(null, Permission[perm])).toBe(false);
    expect(can(undefined, Permission[perm])).toBe(false);
  });

  it("a role with no permissions can do nothing; one missing a bit lacks exactly that bit", () => {
    for (const perm of ALL) expect(can({ permissions: 0 }, Permission[perm])).toBe(false);
    const noWrite = 31 & ~Permission.WRITE;
    for (const perm of ALL) expect(can({ permissions: noWrite }, Permission[perm])).toBe(perm !== "WRITE");
  });

  it("requires every bit of a combined mask", () => {
    const both = (Permission.MODERATE | Permission.ADMIN) as unknown as PermissionBit;
    expect(can({ permissions: 15 }, both)).toBe(false);
    expect(can({ permissions: 31 }, both)).toBe(true);
  });
});

describe("roles table (D1)", () => {
  it("the migration created exactly User (default, 7), Moderator (15), Administrator (31)", async () => {
    const rows = await roleRows();
    expect(rows.map(({ name, is_default, permissions }) => ({ name, is_default, permissions }))).toEqual([
      { name: "User", is_default: 1, permissions: 7 },
      { name: "Moderator", is_default: 0, permissions: 15 },
      { name: "Administrator", is_default: 0, permissions: 31 },
    ]);
    for (const r of rows) expect(r.permissions).toBe(ROLE_PERMISSIONS[r.name as keyof typeof ROLE_PERMISSIONS]);
  });

  it("re-running the roles migration keeps exactly those rows (same ids) and repairs drifted values", async () => {
    const before = await roleRows();
    await env.DB.prepare(ROLES_MIGRATION).run();
    expect(await roleRows()).toEqual(before);

    await env.DB.batch([
      env.DB.prepare("UPDATE roles SET permissions = 0, is_default = 1 WHERE name = 'Moderator'"),
      env.DB.prepare("UPDATE roles SET is_default = 0 WHERE name = 'User'"),
    ]);
    await env.DB.prepare(ROLES_MIGRATION).run();
    expect(await roleRows()).toEqual(before);
  });
});
