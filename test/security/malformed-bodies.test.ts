// Malformed request bodies: every POST route of the web app answers each of them with 400 and a plain
// message — never a 500, never an error-report mail, nothing written. The route list comes from the app
// itself, so a new POST route fails this test until it is added to the table below.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createWebApp } from "../../src/app";
import { isBeaconPath } from "../../src/features/sites/beacon";
import { confirmedUser, insertUsers, setRole } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { setCookies } from "../helpers/http";
import { addSite } from "../sites/helpers";

const NOT_A_FORM = "This form must be sent as a web form.";
const NOT_UTF8 = "This form must be sent as UTF-8.";
const MALFORMED = "This form's data is malformed or incomplete.";

const B = "----roostboundary";
const part = (name: string, value: string) => `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

/** [what, Content-Type (null: none), body, expected message]. */
const BODIES: [string, string | null, BodyInit, string][] = [
  ["multipart without a boundary", "multipart/form-data", `${part("email", "a@example.org")}--${B}--\r\n`, MALFORMED],
  ["truncated multipart", `multipart/form-data; boundary=${B}`, `--${B}\r\nContent-Disposition: form-data; name="email"\r\n\r\na@exa`, MALFORMED],
  ["multipart without its closing boundary", `multipart/form-data; boundary=${B}`, part("email", "a@example.org"), MALFORMED],
  ["invalid percent-encoding", "application/x-www-form-urlencoded", "email=%ZZ&password=x&body=%", MALFORMED],
  ["cut percent-encoding", "application/x-www-form-urlencoded", "body=caf%C3%A", MALFORMED],
  ["percent-encoded bytes that are not UTF-8", "application/x-www-form-urlencoded", "body=%C3%28&name=%FF", MALFORMED],
  ["raw bytes that are not UTF-8", "application/x-www-form-urlencoded", new Uint8Array([0x62, 0x6f, 0x64, 0x79, 0x3d, 0x63, 0x61, 0x66, 0xe9]), MALFORMED],
  ["a declared charset other than UTF-8", "application/x-www-form-urlencoded; charset=iso-8859-1", "body=caf%E9", NOT_UTF8],
  ["multipart in another charset", `multipart/form-data; boundary=${B}; charset=shift_jis`, `${part("body", "x")}--${B}--\r\n`, NOT_UTF8],
  ["JSON", "application/json", JSON.stringify({ email: "a@example.org", password: "x", body: "hi" }), NOT_A_FORM],
  ["plain text", "text/plain;charset=UTF-8", "email=a@example.org", NOT_A_FORM],
  ["a body without a Content-Type", null, "email=a@example.org", NOT_A_FORM],
];

// Everything a request could write, except last_seen (touched off the response path by any request).
const TABLES = [
  "SELECT id, email, username, password_hash, role_id, confirmed, name, location, about_me, session_epoch FROM users",
  "SELECT * FROM follows",
  "SELECT * FROM posts",
  "SELECT * FROM comments",
  "SELECT * FROM sites",
  "SELECT * FROM auth_tokens",
  // Mail rows, but not their delivery columns (the queue consumer sends the setup mails meanwhile).
  'SELECT id, "to", kind, subject FROM mail_outbox',
  "SELECT * FROM rate_events",
];
async function snapshot(): Promise<string> {
  const rows = await env.DB.batch(TABLES.map((sql) => env.DB.prepare(`${sql} ORDER BY 1, 2`)));
  return JSON.stringify(rows.map((r) => r.results));
}
const errorReports = async () => (await env.DB.prepare("SELECT count(*) AS n FROM mail_outbox WHERE kind = 'error_report'").first<{ n: number }>())!.n;

let admin: Awaited<ReturnType<typeof confirmedUser>>;
let paths: Record<string, string>;

beforeAll(async () => {
  // An Administrator can reach every route (moderation and the admin editor included).
  admin = await confirmedUser("bodies");
  await setRole(admin.id, "Administrator");
  const [other] = await insertUsers(1, "other");
  const site = await addSite(admin.client);
  const post = await env.DB.prepare("INSERT INTO posts (author_id, body, body_html, created_at, updated_at) VALUES (?1, 'p', '<p>p</p>', ?2, ?2) RETURNING id")
    .bind(admin.id, Date.now())
    .first<{ id: number }>();
  const comment = await env.DB.prepare(
    "INSERT INTO comments (post_id, author_id, body, body_html, created_at, disabled) VALUES (?1, ?2, 'c', 'c', ?3, 0) RETURNING id",
  )
    .bind(post!.id, admin.id, Date.now())
    .first<{ id: number }>();
  const p = post!.id;
  const cm = comment!.id;
  // Route pattern (as the app registers it) → a concrete path that the route would act on.
  paths = {
    "/": "/",
    "/preview": "/preview",
    "/edit/:id": `/edit/${p}`,
    "/post/:id/delete": `/post/${p}/delete`,
    "/post/:id/like": `/post/${p}/like`,
    "/post/:id/unlike": `/post/${p}/unlike`,
    "/follow/:username": `/follow/${other!.username}`,
    "/unfollow/:username": `/unfollow/${other!.username}`,
    "/edit-profile": "/edit-profile",
    "/edit-profile/:id": `/edit-profile/${other!.id}`,
    "/edit-profile/avatar": "/edit-profile/avatar",
    "/edit-profile/avatar/delete": "/edit-profile/avatar/delete",
    "/post/:id/comments": `/post/${p}/comments`,
    "/moderate/enable/:id": `/moderate/enable/${cm}`,
    "/moderate/disable/:id": `/moderate/disable/${cm}`,
    "/comment/:id/delete": `/comment/${cm}/delete`,
    "/auth/register": "/auth/register",
    "/auth/login": "/auth/login",
    "/auth/logout": "/auth/logout",
    "/auth/confirm": "/auth/confirm",
    "/auth/change-password": "/auth/change-password",
    "/auth/reset": "/auth/reset",
    "/auth/reset/:token": "/auth/reset/abcdefghijklmnopqrstuvwxyz234567",
    "/auth/undo-email/:token": "/auth/undo-email/abcdefghijklmnopqrstuvwxyz234567",
    "/auth/change-email": "/auth/change-email",
    // The old underscore addresses (308 to the new ones) read the body first like every form route.
    "/auth/change_email": "/auth/change_email",
    "/auth/change_email/*": "/auth/change_email/abcdefghijklmnopqrstuvwxyz234567",
    "/auth/undo_email/*": "/auth/undo_email/abcdefghijklmnopqrstuvwxyz234567",
    "/account/delete": "/account/delete",
    "/sites": "/sites",
    "/sites/:id/rename": `/sites/${site.id}/rename`,
    "/sites/:id/delete": `/sites/${site.id}/delete`,
    "/notifications/settings": "/notifications/settings",
    "/messages/:username": `/messages/${other!.username}`,
    "/sites/:id/time-zone": `/sites/${site.id}/time-zone`,
    "/sites/:id/mail-reports": `/sites/${site.id}/mail-reports`,
    "/sites/:id/shares": `/sites/${site.id}/shares`,
    "/sites/:id/shares/:shareId/revoke": `/sites/${site.id}/shares/1/revoke`,
    "/sites/:id/public": `/sites/${site.id}/public`,
    "/share/:token": "/share/abcdefghijklmnopqrstuvwxyz234567",
    "/sites/:id/goals": `/sites/${site.id}/goals`,
    "/sites/:id/goals/:goalId/delete": `/sites/${site.id}/goals/1/delete`,
    "/sites/:id/funnels": `/sites/${site.id}/funnels`,
    "/sites/:id/funnels/:funnelId/delete": `/sites/${site.id}/funnels/1/delete`,
    "/block/:username": `/block/${other!.username}`,
    "/unblock/:username": `/unblock/${other!.username}`,
    "/account/fediverse": "/account/fediverse",
    "/admin/servers/block": "/admin/servers/block",
    "/admin/servers/unblock": "/admin/servers/unblock",
    "/fediverse/follow": "/fediverse/follow",
    "/fediverse/unfollow": "/fediverse/unfollow",
    // No remote actor or note exists here: the body is read (and refused) before the id is looked up.
    "/fediverse/block/:id": "/fediverse/block/1",
    "/fediverse/unblock/:id": "/fediverse/unblock/1",
    "/fediverse/notes/:id/like": "/fediverse/notes/1/like",
    "/fediverse/notes/:id/unlike": "/fediverse/notes/1/unlike",
    "/fediverse/notes/:id/reply": "/fediverse/notes/1/reply",
    "/fediverse/replies/:id/edit": "/fediverse/replies/1/edit",
    "/fediverse/replies/:id/delete": "/fediverse/replies/1/delete",
  };
});

describe("malformed bodies on form routes", () => {
  it("the table names every POST route of the web app", () => {
    const posts = createWebApp()
      .routes.filter((r) => r.method === "POST" && !r.path.startsWith("/api") && !isBeaconPath(r.path))
      .map((r) => r.path.replace(/\{[^}]*\}/g, ""));
    expect([...new Set(posts)].sort()).toEqual(Object.keys(paths).sort());
  });

  it.each(BODIES)(
    "%s: every form route answers 400 with a message, writes nothing, mails no error report",
    async (_what, type, body, message) => {
      const before = await snapshot();
      const reports = await errorReports();
      // All routes at once: each answer is checked on its own, and the snapshot after all of them must still
      // equal the one before (a write by any route shows there). One at a time took ~4 s a body.
      const answers = await Promise.all(
        Object.values(paths).map(async (path) => {
          const headers: Record<string, string> = { Origin: ORIGIN, Accept: "text/html" };
          if (type !== null) headers["Content-Type"] = type;
          const res = await admin.client.fetch(path, { method: "POST", headers, body });
          return { path, res, text: await res.text() };
        }),
      );
      for (const { path, res, text } of answers) {
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(text, path).toContain(message.replaceAll("'", "&#39;"));
        // The session is neither replaced nor ended (e.g. by /auth/logout or /auth/login).
        expect(
          setCookies(res).filter((l) => l.startsWith("__Host-session")),
          path,
        ).toEqual([]);
      }
      expect(await snapshot()).toBe(before);
      expect(await errorReports()).toBe(reports);
      // Still logged in: the malformed requests changed nothing about the session.
      expect((await admin.client.get("/edit-profile")).status).toBe(200);
    },
    30_000,
  ); // 24 routes per body, on a shared machine

  it("a JSON client gets the same answer as JSON", async () => {
    const res = await admin.client.fetch("/auth/login", {
      method: "POST",
      headers: { Origin: ORIGIN, Accept: "application/json", "Content-Type": "multipart/form-data" },
      body: "--x\r\n",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "bad request", message: MALFORMED });
  });

  it("well-formed forms still work: urlencoded with charset, multipart, and an empty body", async () => {
    const u = await confirmedUser("okform");
    const form = new FormData();
    form.set("name", "Ada Multipart");
    form.set("location", "");
    form.set("about_me", "");
    const multipart = await u.client.fetch("/edit-profile", { method: "POST", headers: { Origin: ORIGIN }, body: form });
    expect(multipart.status).toBe(303);
    const urlencoded = await u.client.fetch("/edit-profile", {
      method: "POST",
      headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8" },
      body: "name=Ada+caf%C3%A9&location=&about_me=",
    });
    expect(urlencoded.status).toBe(303);
    const row = await env.DB.prepare("SELECT name FROM users WHERE id = ?").bind(u.id).first<{ name: string }>();
    expect(row!.name).toBe("Ada café");
    // A body-less POST (a one-button form sent by a script) is an empty form, as before.
    const logout = await u.client.fetch("/auth/logout", { method: "POST", headers: { Origin: ORIGIN } });
    expect(logout.status).toBe(303);
  }, 20_000);
});

describe("malformed JSON on the API", () => {
  it.each([
    ["truncated JSON", "application/json", '{"body": "hi'],
    ["not JSON at all", "application/json", "body=hi"],
  ])("%s answers 400 JSON, no error report", async (_what, type, body) => {
    const reports = await errorReports();
    const res = await SELF.fetch(`${ORIGIN}/api/v1/posts/`, {
      method: "POST",
      headers: { "Content-Type": type, Authorization: `Basic ${btoa(`${admin.email}:${admin.password}`)}` },
      body,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "bad request", message: "The request body is not valid JSON." });
    expect(await errorReports()).toBe(reports);
  });
});
