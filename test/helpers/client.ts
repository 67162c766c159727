// A small browser stand-in for integration tests: keeps cookies, sends same-origin POSTs with an Origin
// header (as browsers do), never follows redirects, and parses nothing it does not need to.
import { SELF } from "cloudflare:test";

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
