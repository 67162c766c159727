// D1 Sessions: every page request runs in a D1 session; the bookmark travels in a cookie so a browser
// never reads older data than it already saw, and writes start at the primary.
import { describe, expect, it } from "vitest";
import { BOOKMARK_COOKIE, sessionConstraint } from "../../src/middleware/d1-session";
import { confirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";

describe("session constraint", () => {
  it("starts writes at the primary and reads from the browser's bookmark (or anywhere)", () => {
    const bookmark = "00000000-00000008-00000000-00000000000000000000000000000000";
    expect(sessionConstraint("POST", bookmark)).toBe("first-primary");
    expect(sessionConstraint("DELETE", undefined)).toBe("first-primary");
    expect(sessionConstraint("GET", bookmark)).toBe(bookmark);
    expect(sessionConstraint("GET", undefined)).toBe("first-unconstrained");
    expect(sessionConstraint("GET", "garbage; DROP TABLE")).toBe("first-unconstrained");
  });
});

describe("bookmark cookie", () => {
  it("is set on pages, advances after a write, and the next read sees the write", async () => {
    const u = await confirmedUser("bookmark");
    const c = u.client;
    await c.get("/");
    const before = c.cookies.get(BOOKMARK_COOKIE);
    expect(before).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/);
    const res = await c.post("/", { body: "read your writes" });
    expect(res.status).toBe(303);
    const after = c.cookies.get(BOOKMARK_COOKIE)!;
    expect(after > before!).toBe(true);
    expect(await (await c.get("/")).text()).toContain("read your writes");
  });

  it("ignores a forged bookmark instead of failing", async () => {
    const c = new Client();
    c.cookies.set(BOOKMARK_COOKIE, "not-a-bookmark");
    const res = await c.get("/explore");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<h1>Explore</h1>");
  });
});
