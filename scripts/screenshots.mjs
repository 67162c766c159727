// `npm run screenshots`: pictures of Roost for the README. Starts a throwaway wrangler dev over the local state
// (the same as `npm start`, through scripts/lib/dev-server.mjs), makes what the pages need through the app's own
// forms (two members, posts with Markdown, a comment, a follow, a site with visits through its beacon), then
// drives Debian's Chromium through the stranger's home, the feed, a post with comments, a profile, the site
// report and the same report filtered (two chips: a page and a referrer) at desktop (1280 × 800) and phone (390 × 844) size, writing viewport PNGs into docs/screenshots/.
//
// Options (for the before/after pairs in docs/screenshots/before/, see README "Screenshots"):
//   --base-url=http://127.0.0.1:8790   shoot a Roost that is already running (e.g. an older commit) instead of
//                                      starting one; it must allow a few quick posts (raise RATE_POSTS_PER_MINUTE)
//   --out=docs/screenshots/before      where the PNGs go (relative to the repository)
//   --only=home-stranger,profile       just these shots;  --sizes=phone   just these sizes
import { mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { copyAssets, log, root } from "./common.mjs";
import { CHROMIUM_FLAGS, findChromium } from "./lib/chromium.mjs";
import { buildSnapshot, startWranglerDev, waitUntilAnswering } from "./lib/dev-server.mjs";
import { applyMigrations } from "./lib/local-d1.mjs";

const { values: opts } = parseArgs({
  options: { "base-url": { type: "string" }, out: { type: "string", default: "docs/screenshots" }, only: { type: "string" }, sizes: { type: "string" } },
});
const OUT = path.resolve(root, opts.out);
const ALL_SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const SIZES = Object.fromEntries(Object.entries(ALL_SIZES).filter(([size]) => !opts.sizes || opts.sizes.split(",").includes(size)));
const wanted = (name) => !opts.only || opts.only.split(",").includes(name);
const PASSWORD = "correct horse battery 42";
const tag = Date.now().toString(36).slice(-5);

/** A cookie-keeping client for the app's forms (same-origin POSTs, as a browser sends them). */
function client(origin) {
  const jar = new Map();
  const send = async (p, init = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set("Cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    if (init.method === "POST") headers.set("Origin", origin);
    const res = await fetch(origin + p, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [k, ...v] = pair.split("=");
      jar.set(k.trim(), v.join("="));
    }
    return { res, text: await res.text() };
  };
  return {
    jar,
    get: async (p) => (await send(p)).res,
    /** A page's HTML as this member sees it (members bypass the edge cache). */
    text: async (p) => (await send(p)).text,
    post: async (p, form) => (await send(p, { method: "POST", body: new URLSearchParams(form) })).res,
  };
}

async function mailLink(origin, to) {
  for (let i = 0; i < 80; i++) {
    const mails = await (await fetch(`${origin}/dev/mail.json`)).json();
    const mail = mails.find((m) => m.to.toLowerCase().includes(to));
    const link = mail?.text.match(/https?:\/\/\S+/)?.[0];
    if (link) return new URL(link).pathname;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${to}`);
}

/** Registers and confirms a member through the forms and the dev mailbox; returns its logged-in client. */
async function member(origin, username) {
  const c = client(origin);
  const email = `${username}@example.com`;
  await c.post("/auth/register", { email, username, password: PASSWORD, password2: PASSWORD });
  await c.post("/auth/login", { email, password: PASSWORD });
  const res = await c.get(await mailLink(origin, email));
  if (res.status !== 303) throw new Error(`confirming ${username} answered ${res.status}`);
  return c;
}

async function seed(origin) {
  const ada = `ada_${tag}`;
  const grace = `grace_${tag}`;
  const a = await member(origin, ada);
  const g = await member(origin, grace);
  await a.post("/edit-profile", { name: "Ada Lovelace", location: "London", about_me: "Notes on engines, birds and the occasional poem." });
  for (const body of [
    "Spring is here: the robins are **back** at the feeder, and the first nest is going up under the eaves.",
    "## Why I write here\n\nNo ads, no feed algorithm: the people I follow, newest first. And my posts stay *mine*.",
    "Three things I learned building a bird box:\n\n- the hole size picks the bird\n- face it away from the wind\n- no perch, ever",
  ]) {
    await a.post("/", { body });
  }
  await g.post(`/follow/${ada}`, {});
  await g.post("/", { body: "Saw a wren this morning. Tiny, loud, and completely unbothered by me." });
  // The newest post of Ada's gets the comments.
  // As Ada: a stranger's fetch would put her profile in the edge cache before the comments below, and the
  // stranger's screenshot would then show "0 comments" (profiles catch up on comment counts within the TTL).
  const profile = await a.text(`/user/${ada}`);
  const postId = profile.match(/href="\/post\/(\d+)"/)?.[1];
  await g.post(`/post/${postId}/comments`, { body: "The no-perch rule surprised me. Thanks for writing it down!" });
  await a.post(`/post/${postId}/comments`, { body: "It keeps the magpies out. Glad it helps." });
  // A site with some visits through its own beacon.
  const base = "https://ada.example";
  const made = await a.post("/sites", { name: "Ada's notebook", base_url: base });
  const sitePath = made.headers.get("Location");
  const siteId = sitePath?.match(/\/sites\/(\d+)/)?.[1];
  const agents = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:135.0) Gecko/20100101 Firefox/135.0",
  ];
  const pages = ["/", "/birds", "/bird-box", "/about", "/birds"];
  for (let i = 0; i < 24; i++) {
    await fetch(`${origin}/sites/${siteId}/visit`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": agents[i % agents.length], "X-Forwarded-For": `203.0.113.${i}` },
      body: JSON.stringify({ url: `${base}${pages[i % pages.length]}`, referrer: i % 3 ? "https://news.example/item" : "" }),
    });
  }
  return { ada: a, adaName: ada, postId, sitePath };
}

/** The server to shoot: one given by --base-url, or a throwaway wrangler dev over the local state. */
async function startServer() {
  const given = opts["base-url"];
  if (given) return { origin: new URL(given).origin, stop: async () => {} };
  await applyMigrations(); // before wrangler dev opens the same database (else SQLITE_BUSY)
  copyAssets();
  log("bundling the Worker and starting wrangler dev");
  const server = await startWranglerDev({
    logFile: path.join(root, "test-results", "screenshots-wrangler.log"),
    snapshot: await buildSnapshot(path.join(root, ".tmp", "screenshots")),
  });
  if (!(await waitUntilAnswering(server, `${server.origin}/hello`))) {
    await server.stop();
    throw new Error("wrangler dev did not start");
  }
  return server;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const executablePath = findChromium();
  if (!executablePath) throw new Error("Chromium not found (`command -v chromium`): install it with `apt-get install -y chromium`.");
  const server = await startServer();
  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
    log("making two members, posts, comments and a site through the forms");
    const s = await seed(server.origin);
    await new Promise((r) => setTimeout(r, 3000)); // visits reach the report through a queue
    // Only the session: __Host- cookies must be Secure (Chromium treats 127.0.0.1 as a secure origin).
    const session = [...s.ada.jar]
      .filter(([name, value]) => name === "__Host-session" && value)
      .map(([name, value]) => ({ name, value, domain: "127.0.0.1", path: "/", secure: true, httpOnly: true, sameSite: "Lax" }));
    const shots = [
      ["home-stranger", "/", false],
      ["feed", "/", true],
      ["post", `/post/${s.postId}`, true],
      ["profile", `/user/${s.adaName}`, false],
      ["site-report", s.sitePath, true],
      // Filters stack as removable chips above the numbers (features/sites/filters.ts); both live in the URL.
      ["site-report-filtered", `${s.sitePath}?${["page:contains:/bird", "referrer:is:news.example"].map((f) => `f=${encodeURIComponent(f)}`).join("&")}`, true],
    ].filter(([name]) => wanted(name));
    for (const [size, viewport] of Object.entries(SIZES)) {
      const stranger = await browser.newContext({ viewport });
      const ada = await browser.newContext({ viewport });
      await ada.addCookies(session);
      for (const [name, p, asMember] of shots) {
        const page = await (asMember ? ada : stranger).newPage();
        // Generous: on a busy machine (other work on 2 cores) a page and its scripts can take more than the default 30 s.
        await page.goto(server.origin + p, { waitUntil: "networkidle", timeout: 120_000 });
        const file = path.join(OUT, `${name}-${size}.png`);
        await page.screenshot({ path: file });
        log(`wrote ${path.relative(root, file)}`);
        await page.close();
      }
      await stranger.close();
      await ada.close();
    }
  } finally {
    await browser?.close();
    await server.stop();
  }
}

await main();
