// Open-redirect guard: safeNextPath (src/lib/safe-redirect.ts) keeps local paths and refuses anything that leaves the site, also via /auth/login?next=.
import { describe, expect, it } from "vitest";
import { safeNextPath } from "../../src/lib/safe-redirect";
import { unconfirmedUser } from "../helpers/accounts";

describe("safeNextPath", () => {
  it.each([
    ["/", "/"],
    ["/x?y=1#z", "/x?y=1#z"],
    ["/user/a%2Fb", "/user/a%2Fb"],
    ["/auth/change-password", "/auth/change-password"],
  ])("allows %j", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["empty", ""],
    ["relative", "x"],
    ["protocol-relative", "//evil.com"],
    ["protocol-relative with path", "//evil.com/auth/login"],
    ["backslash after slash", "/\\evil.com"],
    ["absolute https", "https://evil.com"],
    ["scheme with one slash", "http:/evil"],
    ["tab between slashes", "/\t/evil"],
    ["newline between slashes", "/\n/evil"],
    ["backslash first", "\\/evil"],
    ["leading space", " //evil"],
    ["javascript:", "javascript:alert(1)"],
    ["3000-char path", `/${"a".repeat(2999)}`],
  ])("refuses %s", (_label, input) => {
    expect(safeNextPath(input as string | null | undefined)).toBeNull();
  });

  it("whatever it returns for odd but harmless paths stays on this site", () => {
    for (const input of ["/%2F%2Fevil.com", "/./x", "/../x", "/@evil.com", "/;//evil.com"]) {
      const out = safeNextPath(input);
      if (out === null) continue;
      expect(out.startsWith("//")).toBe(false);
      expect(new URL(out, "https://roost.example.com").origin).toBe("https://roost.example.com");
    }
  });

  // Regression: dot segments collapse in the URL parser, "/.//evil.com" -> "//evil.com", which a browser
  // follows to https://evil.com (an open redirect through /auth/login?next=...).
  it.each(["/.//evil.com", "/..//evil.com", "/a/..//evil.com", "/%2e%2e//evil.com"])("refuses %j, which normalises to a protocol-relative path", (input) => {
    const out = safeNextPath(input);
    expect(out === null || (!out.startsWith("//") && new URL(out, "https://roost.example.com").origin === "https://roost.example.com")).toBe(true);
  });
});

describe("login's next parameter (through the Worker)", () => {
  /** A new account logs in through the form with this next parameter; the login itself must succeed. */
  async function loginWithNext(next: string) {
    const u = await unconfirmedUser("next");
    const res = await u.client.post(`/auth/login?next=${encodeURIComponent(next)}`, { email: u.email, password: u.password });
    expect(res.status).toBe(303);
    expect(u.client.session()).toBeTruthy();
    return res;
  }

  it("a local next is followed after login", async () => {
    const res = await loginWithNext("/auth/change-password?x=1");
    expect(res.headers.get("Location")).toBe("/auth/change-password?x=1");
  });

  it.each(["//evil.com", "https://evil.com", "/\\evil.com"])("an outside next %j goes home instead", async (next) => {
    const res = await loginWithNext(next);
    expect(res.headers.get("Location")).toBe("/");
  });

  // The same regression as a user would meet it: the login form must not send them to another site.
  it("next=/.//evil.com does not send the user to evil.com", async () => {
    const res = await loginWithNext("/.//evil.com");
    const location = res.headers.get("Location")!;
    expect(new URL(location, "http://127.0.0.1:8787").origin).toBe("http://127.0.0.1:8787");
  });
});
