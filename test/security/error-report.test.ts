// Unexpected errors: the visitor gets a 500 page without internals; the operator gets one mail per error
// kind per hour, through the mail outbox.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createWebApp } from "../../src/app";
import { errorKind } from "../../src/mail/error-report";
import { ORIGIN } from "../helpers/client";

// The web app itself (app.ts), so the test can add routes that throw.
const app = createWebApp();
app.get("/test-boom/:n", (c) => {
  throw new Error(`kaboom number ${c.req.param("n")}`);
});
// Separate throw sites from the route above, so the mail test starts with fresh error kinds.
app.get("/test-mail/:n", (c) => {
  if (c.req.param("n") === "db") throw new TypeError("database exploded at row 17");
  throw new Error(`mail me number ${c.req.param("n")}`);
});

async function hit(path: string, accept = "text/html") {
  const ctx = createExecutionContext();
  const res = await app.request(`${ORIGIN}${path}`, { headers: { Accept: accept } }, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const reports = async () =>
  (
    await env.DB.prepare("SELECT subject, text FROM mail_outbox WHERE kind = 'error_report' AND \"to\" = 'admin@example.com' ORDER BY id").all<{
      subject: string;
      text: string;
    }>()
  ).results;

describe("error reports", () => {
  it("answers 500 without internals, in HTML and JSON", async () => {
    const html = await hit("/test-boom/1");
    expect(html.status).toBe(500);
    const body = await html.text();
    expect(body).toContain("Something went wrong on our side.");
    expect(body).not.toContain("kaboom");
    expect(body).not.toContain(".ts:");
    const json = await hit("/test-boom/2", "application/json");
    expect(json.status).toBe(500);
    expect(await json.json()).toEqual({ error: "internal server error", message: expect.not.stringContaining("kaboom") });
  });

  it("mails ADMIN_EMAIL once per error kind per hour", async () => {
    const before = (await reports()).length;
    for (let i = 0; i < 4; i++) await hit(`/test-mail/${100 + i}`); // same kind: numbers are folded
    await hit("/test-mail/db"); // another kind
    const mails = (await reports()).slice(before);
    expect(mails).toHaveLength(2);
    expect(mails[0]!.subject).toMatch(/^\[Roost\] Error: Error: mail me number \d+$/);
    expect(mails[0]!.text).toContain("GET /test-mail/");
    expect(mails[0]!.text).toMatch(/at .*error-report\.test\.ts/); // the stack is for the operator
    expect(mails[1]!.subject).toContain("TypeError: database exploded");
    // After the hour, the same kind is mailed again.
    await env.DB.prepare("UPDATE rate_events SET created_at = created_at - 3600001 WHERE bucket = 'error-mail'").run();
    await hit("/test-mail/999");
    expect((await reports()).length - before).toBe(3);
  });

  it("groups errors by kind: numbers in messages fold, different places differ", () => {
    const a = new Error("row 1 failed");
    const b = new Error("row 2 failed");
    b.stack = a.stack!.replace("row 1", "row 2");
    expect(errorKind(a)).toBe(errorKind(b));
    expect(errorKind(new TypeError("row 1 failed"))).not.toBe(errorKind(a));
  });
});
