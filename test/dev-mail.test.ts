// The development mailbox (/dev/mail, /dev/mail.json), mounted on a bare Hono app over the real D1.
import { env } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { getDb } from "../src/db";
import { mailOutbox } from "../src/db/schema";
import type { WebEnv } from "../src/env";
import { devRoutes } from "../src/features/dev";
import { linkify } from "../src/features/dev/views";
import { requestContext } from "../src/middleware/request-context";

const app = new Hono<WebEnv>();
app.use(requestContext);
app.use("*", async (c, next) => {
  c.set("user", null);
  await next();
});
app.route("/dev", devRoutes);

const devEnv = { ...env, ENVIRONMENT: "development" } as Env;
const prodEnv = { ...env, ENVIRONMENT: "production" } as Env;

function get(path: string, runEnv: Env = devEnv) {
  return app.request(`http://127.0.0.1:8787${path}`, {}, runEnv);
}

type MailJson = { id: number; to: string; subject: string; text: string; html: string; status: string; created_at: string };

async function insertMail(values: Partial<typeof mailOutbox.$inferInsert> & { to: string; createdAt: number }) {
  const db = getDb(env.DB);
  const row = await db
    .insert(mailOutbox)
    .values({ kind: "confirm", subject: "Confirm your account", text: "hi", html: "<p>hi</p>", status: "captured", ...values })
    .returning()
    .get();
  return row;
}

describe("outside development", () => {
  it("answers 404 for both routes", async () => {
    await insertMail({ to: "prod-secret@example.com", createdAt: Date.now() });
    for (const path of ["/dev/mail", "/dev/mail.json"]) {
      const res = await get(path, prodEnv);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("prod-secret@example.com");
    }
  });
});

describe("in development, from anything but a loopback host", () => {
  // A `wrangler deploy` without --env production ships ENVIRONMENT=development; the mailbox must still
  // not exist on a public host.
  it.each([
    ["a public URL", "https://roost.example.com", {}],
    ["a workers.dev URL", "https://roost.someone.workers.dev", {}],
    ["a loopback URL with a public Host header", "http://127.0.0.1:8787", { Host: "example.com" }],
    ["a loopback-looking subdomain", "http://localhost.example.com", {}],
    ["a LAN address", "http://192.168.1.20:8787", {}],
  ])("answers 404 for %s", async (_what, origin, headers) => {
    await insertMail({ to: "public-host-secret@example.com", createdAt: Date.now() });
    for (const path of ["/dev/mail", "/dev/mail.json"]) {
      const res = await app.request(`${origin}${path}`, { headers }, devEnv);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain("public-host-secret@example.com");
    }
  });

  it.each([
    ["127.0.0.1", "http://127.0.0.1:8787"],
    ["localhost", "http://localhost:8787"],
    ["[::1]", "http://[::1]:8787"],
  ])("answers 200 on %s", async (_what, origin) => {
    expect((await app.request(`${origin}/dev/mail.json`, {}, devEnv)).status).toBe(200);
  });
});

describe("/dev/mail.json", () => {
  it("lists mail newest first with exactly the documented fields", async () => {
    const base = Date.parse("2030-01-01T00:00:00Z");
    const older = await insertMail({ to: "json-older@example.com", createdAt: base, subject: "Older" });
    const newer = await insertMail({
      to: "json-newer@example.com",
      createdAt: base + 60_000,
      subject: "Newer",
      text: "Reset: http://127.0.0.1:8787/auth/reset/abc",
      html: "<p>Reset</p>",
      status: "sent",
    });

    const res = await get("/dev/mail.json");

    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const list = (await res.json()) as MailJson[];
    const ids = list.map((m) => m.id);
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    expect(list.find((m) => m.id === newer.id)).toStrictEqual({
      id: newer.id,
      to: "json-newer@example.com",
      subject: "Newer",
      text: "Reset: http://127.0.0.1:8787/auth/reset/abc",
      html: "<p>Reset</p>",
      status: "sent",
      created_at: "2030-01-01T00:01:00.000Z",
    });
    for (let i = 1; i < list.length; i++) expect(list[i - 1]!.created_at >= list[i]!.created_at).toBe(true);
  });

  it("returns at most the newest 100", async () => {
    const db = getDb(env.DB);
    const base = Date.parse("2031-01-01T00:00:00Z");
    const inserts = Array.from({ length: 105 }, (_, i) =>
      db.insert(mailOutbox).values({ to: `bulk${i}@example.com`, kind: "confirm", subject: "s", text: "t", html: "h", createdAt: base + i }),
    );
    await db.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);

    const list = (await (await get("/dev/mail.json")).json()) as MailJson[];

    expect(list).toHaveLength(100);
    expect(list[0]!.to).toBe("bulk104@example.com");
    expect(list[99]!.to).toBe("bulk5@example.com");
  });
});

describe("/dev/mail", () => {
  it("renders the mailbox newest first, escaped, with clickable links", async () => {
    const base = Date.parse("2040-01-01T00:00:00Z");
    await insertMail({ to: "html-first@example.com", createdAt: base, subject: "First mail" });
    await insertMail({
      to: "html-second@example.com",
      createdAt: base + 1000,
      subject: "<script>alert(1)</script>",
      text: 'Click http://127.0.0.1:8787/auth/confirm/tok123. Or <b>"not html"</b> & javascript:alert(1)',
    });

    const res = await get("/dev/mail");
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;b&gt;&quot;not html&quot;&lt;/b&gt; &amp; javascript:alert(1)");
    expect(html).not.toMatch(/href="javascript:/);
    expect(html).toContain('<a href="http://127.0.0.1:8787/auth/confirm/tok123" rel="noreferrer">http://127.0.0.1:8787/auth/confirm/tok123</a>.');
    expect(html.indexOf("html-second@example.com")).toBeLessThan(html.indexOf("html-first@example.com"));
    expect(html).toContain('datetime="2040-01-01T00:00:01.000Z"');
  });
});

describe("linkify", () => {
  it("links only http(s) URLs and keeps surrounding punctuation as text", () => {
    const parts = linkify("see (https://a.example/x?y=1), or ftp://b.example");
    expect(parts.map((p) => (typeof p === "string" ? p : "<a>"))).toEqual(["see (", "<a>", "), or ftp://b.example"]);
    expect(linkify("no links")).toEqual(["no links"]);
  });
});
