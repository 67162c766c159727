// The mail queue consumer against real D1 and real queue message batches; only the mail API (fetch) is mocked.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "../src/db";
import { mailOutbox } from "../src/db/schema";
import { backoffSeconds, handleMailBatch, MAX_DELIVERIES, STALE_CLAIM_MS } from "../src/mail/consumer";
import { mailButton, mailHtml, mailText } from "../src/mail/layout";
import type { MailMessage } from "../src/mail/outbox";
import { outboxInsert } from "../src/mail/outbox";
import { parseRetryAfter } from "../src/mail/transport";
import { quietConsole } from "./helpers/console";

const API_URL = "https://mail.test/emails";
const apiEnv = { ...env, MAIL_API_URL: API_URL, MAIL_API_KEY: "k" } as unknown as Env;
const devEnv = { ...env, ENVIRONMENT: "development", MAIL_API_URL: undefined } as unknown as Env;

let seq = 0;
/** Storage is shared by the tests in this file: every mail gets its own recipient. */
async function newMail(overrides: Partial<typeof mailOutbox.$inferInsert> = {}) {
  seq += 1;
  const db = getDb(env.DB);
  const to = `user${seq}-${crypto.randomUUID()}@example.com`;
  const [row] = await outboxInsert(db, {
    to,
    kind: "confirm",
    subject: `Confirm your account ${seq}`,
    text: `Hello!\n\nConfirm here: http://127.0.0.1:8787/auth/confirm/tok${seq}.\n\nThanks`,
    html: `<p>Confirm <a href="http://127.0.0.1:8787/auth/confirm/tok${seq}">here</a></p>`,
  });
  if (Object.keys(overrides).length > 0) await db.update(mailOutbox).set(overrides).where(eq(mailOutbox.id, row!.id));
  return { id: row!.id, to };
}

async function outboxRow(id: number) {
  return (await getDb(env.DB).select().from(mailOutbox).where(eq(mailOutbox.id, id)).get())!;
}

let msgSeq = 0;
function message(body: unknown, attempts = 1) {
  msgSeq += 1;
  return { id: `msg-${msgSeq}`, timestamp: new Date(), attempts, body };
}

/**
 * Run the consumer on one batch and report the queue's view of what it acked and retried. This workerd's
 * queue result omits retry delays, so each message's retry() is also recorded on the way through.
 */
async function consume(messages: ReturnType<typeof message>[], runEnv: Env = apiEnv) {
  const batch = createMessageBatch<MailMessage>("roost-mail", messages as never);
  const delays: { msgId: string; delaySeconds: number | undefined }[] = [];
  for (const msg of batch.messages) {
    const retry = msg.retry.bind(msg);
    vi.spyOn(msg, "retry").mockImplementation((options) => {
      delays.push({ msgId: msg.id, delaySeconds: options?.delaySeconds });
      retry(options);
    });
  }
  const ctx = createExecutionContext();
  await handleMailBatch(batch, runEnv);
  const result = await getQueueResult(batch, ctx);
  expect(result.retryMessages.map((r: { msgId: string }) => r.msgId)).toEqual(delays.map((d) => d.msgId));
  return { ...result, retryMessages: delays };
}

function mockFetch(...responses: (Response | Error)[]) {
  const spy = vi.spyOn(globalThis, "fetch");
  for (const r of responses) {
    if (r instanceof Error) spy.mockRejectedValueOnce(r);
    else spy.mockResolvedValueOnce(r);
  }
  return spy;
}

// The consumer logs one JSON line per mail.
const logSpy = quietConsole();

describe("sending through the mail API", () => {
  it("POSTs the mail once with auth and idempotency headers, marks it sent and acks", async () => {
    const mail = await newMail();
    const fetchSpy = mockFetch(Response.json({ id: "provider-1" }));
    const m = message({ outboxId: mail.id });

    const result = await consume([m]);

    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(String(url)).toBe(API_URL);
    expect(init?.method).toBe("POST");
    const headers = new Headers(init?.headers);
    expect(headers.get("Authorization")).toBe("Bearer k");
    expect(headers.get("Content-Type")).toBe("application/json");
    expect(headers.get("Idempotency-Key")).toBe(`roost-mail-${mail.id}`);
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    expect(JSON.parse(String(init?.body))).toEqual({
      from: env.MAIL_FROM,
      to: mail.to,
      subject: `Confirm your account ${seq}`,
      text: expect.stringContaining("/auth/confirm/tok"),
      html: expect.stringContaining("<a href="),
    });

    expect(result.explicitAcks).toEqual([m.id]);
    expect(result.retryMessages).toEqual([]);
    expect(result.ackAll).toBe(false);
    const row = await outboxRow(mail.id);
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(1);
    expect(row.sentAt).toEqual(expect.any(Number));
    expect(row.lastError).toBeNull();
  });

  it("puts the row back to pending on a 5xx and retries with backoff; the next delivery sends it", async () => {
    const mail = await newMail();
    const fetchSpy = mockFetch(new Response("upstream exploded", { status: 500 }));
    const first = message({ outboxId: mail.id }, 1);

    const r1 = await consume([first]);

    expect(r1.explicitAcks).toEqual([]);
    expect(r1.retryMessages).toEqual([{ msgId: first.id, delaySeconds: backoffSeconds(1) }]);
    let row = await outboxRow(mail.id);
    expect(row.status).toBe("pending");
    expect(row.lastError).toBe("HTTP 500: upstream exploded");
    expect(row.attempts).toBe(1);

    fetchSpy.mockResolvedValueOnce(Response.json({ id: "provider-2" }));
    const second = message({ outboxId: mail.id }, 2);
    const r2 = await consume([second]);

    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(r2.explicitAcks).toEqual([second.id]);
    row = await outboxRow(mail.id);
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(2);
    expect(row.lastError).toBeNull();
  });

  it("honours a numeric Retry-After on 429", async () => {
    const mail = await newMail();
    mockFetch(new Response("slow down", { status: 429, headers: { "Retry-After": "120" } }));
    const m = message({ outboxId: mail.id });

    const result = await consume([m]);

    expect(result.retryMessages).toEqual([{ msgId: m.id, delaySeconds: 120 }]);
    const row = await outboxRow(mail.id);
    expect(row.status).toBe("pending");
    expect(row.lastError).toBe("HTTP 429: slow down");
  });

  it("backs off exponentially on 429 without Retry-After, capped at 15 minutes", async () => {
    const mail = await newMail();
    mockFetch(new Response("", { status: 429 }));
    const m = message({ outboxId: mail.id }, 3);

    const result = await consume([m]);

    expect(result.retryMessages).toEqual([{ msgId: m.id, delaySeconds: backoffSeconds(3) }]);
    expect([1, 2, 3, 4, 5, 6, 20].map(backoffSeconds)).toEqual([30, 60, 120, 240, 480, 900, 900]);
  });

  it.each([
    ["a timeout", new DOMException("The operation was aborted due to timeout", "TimeoutError"), 1, "timeout after 10000 ms"],
    ["a network error", new TypeError("Network connection lost."), 2, "network error: Network connection lost."],
  ])("retries after %s", async (_name, error, attempts, lastError) => {
    const mail = await newMail();
    mockFetch(error);
    const m = message({ outboxId: mail.id }, attempts);

    const result = await consume([m]);

    expect(result.retryMessages).toEqual([{ msgId: m.id, delaySeconds: backoffSeconds(attempts) }]);
    const row = await outboxRow(mail.id);
    expect(row.status).toBe("pending");
    expect(row.lastError).toBe(lastError);
  });

  it("marks a 400 as failed with the response in last_error and acks (no retry)", async () => {
    const mail = await newMail();
    const body = JSON.stringify({ name: "validation_error", message: "Invalid `to` field." }) + "x".repeat(1000);
    mockFetch(new Response(body, { status: 400 }));
    const m = message({ outboxId: mail.id });

    const result = await consume([m]);

    expect(result.explicitAcks).toEqual([m.id]);
    expect(result.retryMessages).toEqual([]);
    const row = await outboxRow(mail.id);
    expect(row.status).toBe("failed");
    expect(row.lastError).toBe(`HTTP 400: ${body.slice(0, 500)}`);
  });

  it("on the last delivery of a transient failure marks the row failed and lets the queue dead-letter it", async () => {
    const mail = await newMail();
    mockFetch(new Response("unavailable", { status: 503 }));
    const m = message({ outboxId: mail.id }, MAX_DELIVERIES);

    const result = await consume([m]);

    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toEqual([{ msgId: m.id, delaySeconds: undefined }]);
    const row = await outboxRow(mail.id);
    expect(row.status).toBe("failed");
    expect(row.lastError).toBe(`gave up after ${MAX_DELIVERIES} deliveries: HTTP 503: unavailable`);
  });
});

describe("duplicate deliveries", () => {
  it("sends once when the same outbox id appears twice in one batch", async () => {
    const mail = await newMail();
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ id: "p" }));
    const a = message({ outboxId: mail.id });
    const b = message({ outboxId: mail.id });

    const result = await consume([a, b]);

    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(result.explicitAcks.sort()).toEqual([a.id, b.id].sort());
    expect(result.retryMessages).toEqual([]);
    expect((await outboxRow(mail.id)).attempts).toBe(1);
  });

  it("sends once when the same outbox id arrives in two batches", async () => {
    const mail = await newMail();
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ id: "p" }));

    const r1 = await consume([message({ outboxId: mail.id })]);
    const again = message({ outboxId: mail.id }, 2);
    const r2 = await consume([again]);

    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(r1.explicitAcks).toHaveLength(1);
    expect(r2.explicitAcks).toEqual([again.id]);
    expect((await outboxRow(mail.id)).status).toBe("sent");
  });

  it("leaves a row alone while another delivery holds a fresh claim", async () => {
    const mail = await newMail({ status: "sending", attempts: 1, lockedAt: Date.now() });
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const m = message({ outboxId: mail.id });

    const result = await consume([m]);

    expect(fetchSpy).not.toHaveBeenCalled();
    expect(result.explicitAcks).toEqual([m.id]);
    expect((await outboxRow(mail.id)).status).toBe("sending");
  });

  it("takes over a stale claim (the consumer holding it died) and sends", async () => {
    const mail = await newMail({ status: "sending", attempts: 1, lockedAt: Date.now() - STALE_CLAIM_MS - 1000 });
    const fetchSpy = mockFetch(Response.json({ id: "p" }));

    const result = await consume([message({ outboxId: mail.id })]);

    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(result.explicitAcks).toHaveLength(1);
    const row = await outboxRow(mail.id);
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(2);
  });

  it("never resends a failed or captured row", async () => {
    const failed = await newMail({ status: "failed", lastError: "HTTP 422: nope" });
    const captured = await newMail({ status: "captured", sentAt: Date.now() });
    const fetchSpy = vi.spyOn(globalThis, "fetch");

    const result = await consume([message({ outboxId: failed.id }), message({ outboxId: captured.id })]);

    expect(fetchSpy).not.toHaveBeenCalled();
    expect(result.explicitAcks).toHaveLength(2);
    expect((await outboxRow(failed.id)).status).toBe("failed");
  });
});

describe("development capture", () => {
  it("without MAIL_API_URL marks the mail captured, logs the link, sends nothing and acks", async () => {
    const mail = await newMail();
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const m = message({ outboxId: mail.id });

    const result = await consume([m], devEnv);

    expect(fetchSpy).not.toHaveBeenCalled();
    expect(result.explicitAcks).toEqual([m.id]);
    const row = await outboxRow(mail.id);
    expect(row.status).toBe("captured");
    expect(row.sentAt).toEqual(expect.any(Number));
    const lines = logSpy().mock.calls.flatMap(([line]) => (typeof line === "string" && line.startsWith("{") ? [JSON.parse(line)] : []));
    const captured = lines.find((l) => l.outboxId === mail.id);
    expect(captured).toMatchObject({
      to: mail.to,
      subject: row.subject,
      link: `http://127.0.0.1:8787/auth/confirm/tok${seq}`,
    });
  });

  it("captures only once when delivered twice", async () => {
    const mail = await newMail();

    await consume([message({ outboxId: mail.id })], devEnv);
    const second = message({ outboxId: mail.id }, 2);
    const result = await consume([second], devEnv);

    expect(result.explicitAcks).toEqual([second.id]);
    expect((await outboxRow(mail.id)).attempts).toBe(1);
  });
});

describe("bad messages", () => {
  it("acks bodies without a numeric outboxId and still handles the rest of the batch", async () => {
    const mail = await newMail();
    const fetchSpy = mockFetch(Response.json({ id: "p" }));
    const bad = [message({ outboxId: "12" }), message(null), message("hello"), message({ outboxId: -1 }), message({ outboxId: 1.5 })];
    const good = message({ outboxId: mail.id });

    const result = await consume([...bad, good]);

    expect(result.explicitAcks.sort()).toEqual([...bad, good].map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it("acks a message whose outbox row does not exist", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const m = message({ outboxId: 987654321 });

    const result = await consume([m]);

    expect(result.explicitAcks).toEqual([m.id]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates, and ignores junk", () => {
    const now = Date.parse("2026-05-01T12:00:00Z");
    expect(parseRetryAfter("30", now)).toBe(30);
    expect(parseRetryAfter("Fri, 01 May 2026 12:01:00 GMT", now)).toBe(60);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("mail layout", () => {
  it("wraps the body in an HTML document with the app name escaped", () => {
    const html = mailHtml("<Roost & co>", "<p>Body</p>");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("&lt;Roost &amp; co&gt;");
    expect(html).not.toContain("<Roost & co>");
    expect(html).toContain("<div><p>Body</p></div>");
  });

  it("escapes button links and refuses non-http(s) ones", () => {
    const button = mailButton('https://roost.example/auth/reset/a?x=1&y="2"', "Reset <now>");
    expect(button).toContain('href="https://roost.example/auth/reset/a?x=1&amp;y=&quot;2&quot;"');
    expect(button).toContain("Reset &lt;now&gt;");
    expect(() => mailButton("javascript:alert(1)", "x")).toThrow();
  });

  it("appends the signature and footer to the text body", () => {
    const text = mailText("Roost", "Hello\n\n");
    expect(text.startsWith("Hello\n\n-- \nRoost\n")).toBe(true);
    expect(text.endsWith("\n")).toBe(true);
  });
});
