// A small browser stand-in for integration tests: keeps cookies, sends same-origin POSTs with an Origin
// header (as browsers do), never follows redirects, and parses nothing it does not need to.
import { env, SELF } from "cloudflare:test";

export const ORIGIN = "http://127.0.0.1:8787";

export type FormBody = Record<string, string>;

export class Client {
  cookies = new Map<string, string>();

  constructor(private origin = ORIGIN) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size && !headers.has("Cookie")) {
      headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const res = await SELF.fetch(new URL(path, this.origin).toString(), { ...init, headers, redirect: "manual" });
    // workerd implements getSetCookie(); the bundled Headers type predates it.
    for (const line of (res.headers as unknown as { getSetCookie(): string[] }).getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a: string) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string, headers: HeadersInit = {}) {
    return this.fetch(path, { headers });
  }

  post(path: string, form: FormBody = {}, headers: HeadersInit = {}) {
    return this.fetch(path, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: this.origin, ...headers },
    });
  }

  /** Follows one redirect (if any) and returns the page text. */
  async follow(res: Response): Promise<{ res: Response; html: string }> {
    const loc = res.headers.get("Location");
    const next = loc ? await this.get(loc) : res;
    return { res: next, html: await next.text() };
  }

  session(): string | undefined {
    return this.cookies.get("__Host-session");
  }
}

let counter = 0;
/** Unique identity per call: storage is shared by all tests in a file. */
export function uniqueUser(prefix = "user") {
  counter += 1;
  const tag = `${prefix}${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
  return { email: `${tag}@example.org`, username: tag, password: "correct horse battery" };
}

export async function latestMailTo(to: string): Promise<{ id: number; subject: string; text: string; status: string } | null> {
  return env.DB.prepare('SELECT id, subject, text, status FROM mail_outbox WHERE "to" = ? ORDER BY id DESC LIMIT 1').bind(to).first();
}

export function linkIn(text: string): string {
  const m = text.match(/https?:\/\/\S+/);
  if (!m) throw new Error(`no link in mail: ${text}`);
  return new URL(m[0]).pathname;
}

export async function register(client: Client, u: { email: string; username: string; password: string }) {
  return client.post("/auth/register", { email: u.email, username: u.username, password: u.password, password2: u.password });
}

export async function login(client: Client, identifier: string, password: string, remember = false) {
  return client.post("/auth/login", { email: identifier, password, ...(remember ? { remember_me: "y" } : {}) });
}

/** A registered, confirmed and logged-in user with its own client. */
export async function confirmedUser(prefix = "user") {
  const u = uniqueUser(prefix);
  const client = new Client();
  const reg = await register(client, u);
  if (reg.status !== 303) throw new Error(`register failed: ${reg.status} ${await reg.text()}`);
  await login(client, u.email, u.password);
  const mail = await latestMailTo(u.email);
  const res = await client.get(linkIn(mail!.text));
  if (res.status !== 303) throw new Error(`confirm failed: ${res.status}`);
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(u.email).first<{ id: number }>();
  return { ...u, id: row!.id, client };
}
