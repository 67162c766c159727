// Avatars (issue 15): the generated default every member has, the Gravatar opt-in (the only way an
// email's MD5 reaches a page), and uploads checked by their bytes, stored in R2, served with their type.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AVATAR_MAX_BYTES, avatarHash, defaultAvatarSvg, sniffImageType } from "../../src/lib/avatar";
import { confirmedUser, expectSentToLogin } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";
import { insertComment, insertPost } from "../helpers/posts";

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff, 0xe0];
const WEBP = [...new TextEncoder().encode("RIFF"), 0x10, 0, 0, 0, ...new TextEncoder().encode("WEBPVP8 ")];
const GIF = [...new TextEncoder().encode("GIF89a")];

/** `head` followed by filler bytes up to `size`. */
function file(head: number[], size = 256): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(head.slice(0, size));
  return bytes;
}

type Upload = { bytes: Uint8Array; name: string; type: string };

function uploadRequest(client: Client, upload: Upload | null, headers: Record<string, string> = {}) {
  const body = new FormData();
  if (upload) body.set("avatar", new File([upload.bytes], upload.name, { type: upload.type }));
  return client.fetch("/edit-profile/avatar", { method: "POST", body, headers: { Origin: ORIGIN, ...headers } });
}

const sha256 = async (b: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", b)).join(",");

const versionOf = async (id: number) => (await env.DB.prepare("SELECT avatar_version AS v FROM users WHERE id = ?").bind(id).first<{ v: number | null }>())!.v;

describe("the default avatar", () => {
  it("is an SVG drawn from the name, cacheable, the same for every spelling of the name", async () => {
    const res = await new Client().get("/avatars/grace_hopper.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Cache-Control")).toMatch(/^public, max-age=\d{7,}/);
    const svg = await res.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain(">GH</text>");
    expect(svg).toContain('aria-label="grace_hopper"');
    expect(await (await new Client().get("/avatars/Grace_Hopper.svg")).text()).toBe(svg);
    expect(defaultAvatarSvg("ada")).not.toBe(defaultAvatarSvg("adb"));
  });

  it("is drawn for someone elsewhere from their handle: their user's letter, a colour per handle", async () => {
    const res = await new Client().get("/avatars/%40bob%40mastodon.example.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/svg+xml; charset=utf-8");
    const svg = await res.text();
    expect(svg).toContain(">B</text>");
    expect(svg).toContain('aria-label="@bob@mastodon.example"');
    expect(defaultAvatarSvg("@bob@mastodon.example")).not.toBe(defaultAvatarSvg("@bob@other.example"));
    expect(defaultAvatarSvg("@ada.lovelace@m.example")).toContain(">AL</text>");
  });

  it.each([
    ["/avatars/%40bob.svg", 404],
    ["/avatars/%40bob%40.svg", 404],
    ["/avatars/bob%40mastodon.example.svg", 404],
    ["/avatars/%40b%3Cx%3E%40mastodon.example.svg", 404],
    ["/avatars/%3Cscript%3E.svg", 404],
    ["/avatars/1abc.svg", 404],
    ["/avatars/.svg", 404],
  ])("%s is %i, not a picture of anything", async (path, status) => {
    const res = await new Client().get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get("Content-Type")).not.toContain("svg");
  });

  it("escapes the name it shows", () => {
    const svg = defaultAvatarSvg('a"<b>&');
    expect(svg).toContain('aria-label="a&quot;&lt;b&gt;&amp;"');
    expect(svg).not.toContain("<b>");
    expect(svg).toContain(">A</text>");
  });
});

describe("avatars on pages reveal no email hash unless the member opts in to Gravatar", () => {
  it("profile, post, comments and follower lists show the default; opting in shows Gravatar", async () => {
    const u = await confirmedUser("avpage");
    const postId = await insertPost(u.id, "Hello avatars", Date.now());
    await insertComment(postId, u.id, "A comment");
    const hash = await avatarHash(u.email);
    const svg = `/avatars/${u.username.toLowerCase()}.svg`;
    for (const path of [`/user/${u.username}`, `/post/${postId}`, "/explore", `/followers/${u.username}`, "/edit-profile"]) {
      const html = await (await u.client.get(path)).text();
      if (path !== `/followers/${u.username}`) expect(html, path).toContain(`src="${svg}"`);
      expect(html, path).not.toContain(hash);
      expect(html, path).not.toContain("gravatar.com/avatar");
    }

    const saved = await u.client.post("/edit-profile", { name: "", location: "", about_me: "", gravatar: "y" });
    expect(saved.status).toBe(303);
    const profile = await (await u.client.get(`/user/${u.username}`)).text();
    expect(profile).toContain(`https://secure.gravatar.com/avatar/${hash}`);
    expect(await (await u.client.get("/edit-profile")).text()).toMatch(/name="gravatar"[^>]*checked/);

    await u.client.post("/edit-profile", { name: "", location: "", about_me: "" });
    expect(await (await u.client.get(`/user/${u.username}`)).text()).not.toContain(hash);
  });
});

describe("uploading a picture", () => {
  it.each<[string, Upload, number]>([
    ["a PNG", { bytes: file(PNG), name: "me.png", type: "image/png" }, 303],
    ["a JPEG", { bytes: file(JPEG), name: "me.jpg", type: "image/jpeg" }, 303],
    ["a WebP", { bytes: file(WEBP), name: "me.webp", type: "image/webp" }, 303],
    ["a PNG named .jpg, declared as JPEG (the bytes decide)", { bytes: file(PNG), name: "me.jpg", type: "image/jpeg" }, 303],
    ["a PNG of exactly 1 MB", { bytes: file(PNG, AVATAR_MAX_BYTES), name: "big.png", type: "image/png" }, 303],
  ])("%s is accepted", { timeout: 30_000 }, async (_what, upload, status) => {
    const u = await confirmedUser("avok");
    const res = await uploadRequest(u.client, upload);
    expect(res.status).toBe(status);
    expect(res.headers.get("Location")).toBe("/edit-profile");
    const version = await versionOf(u.id);
    expect(version).toBeTypeOf("number");
    const page = await u.client.follow(res);
    expect(page.html).toContain("Your picture has been updated.");
    const url = `/avatars/${u.id}?v=${version}`;
    expect(page.html).toContain(`src="${url}"`);
    const served = await new Client().get(url);
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe(sniffImageType(upload.bytes));
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(served.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(await sha256(new Uint8Array(await served.arrayBuffer()))).toBe(await sha256(upload.bytes));
    // An old or missing version is revalidated, never cached for good.
    expect((await new Client().get(`/avatars/${u.id}`)).headers.get("Cache-Control")).toBe("no-cache");
  });

  it.each<[string, Upload | null, number, string]>([
    ["no file", null, 422, "Choose a picture to upload."],
    ["an empty file", { bytes: new Uint8Array(0), name: "empty.png", type: "image/png" }, 422, "Choose a picture to upload."],
    ["1 MB + 1 byte", { bytes: file(PNG, AVATAR_MAX_BYTES + 1), name: "big.png", type: "image/png" }, 413, "That picture is too large: at most 1 MB."],
    ["a GIF", { bytes: file(GIF), name: "me.gif", type: "image/gif" }, 415, "That file is not a PNG, JPEG or WebP picture."],
    [
      "an HTML file named .png, declared as PNG",
      { bytes: new TextEncoder().encode("<html><script>alert(1)</script></html>"), name: "me.png", type: "image/png" },
      415,
      "That file is not a PNG, JPEG or WebP picture.",
    ],
    [
      "an SVG",
      { bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), name: "me.svg", type: "image/svg+xml" },
      415,
      "That file is not a PNG, JPEG or WebP picture.",
    ],
  ])("%s is refused with a message, and nothing is stored", { timeout: 30_000 }, async (_what, upload, status, message) => {
    const u = await confirmedUser("avbad");
    const res = await uploadRequest(u.client, upload);
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(message);
    expect(await versionOf(u.id)).toBeNull();
    expect(await env.AVATARS.head(`avatars/${u.id}`)).toBeNull();
  });

  it("a body over the upload's own limit is 413 before anything is read; other forms keep 64 KiB", { timeout: 30_000 }, async () => {
    const u = await confirmedUser("avhuge");
    const res = await uploadRequest(u.client, { bytes: file(PNG, 2 * AVATAR_MAX_BYTES), name: "huge.png", type: "image/png" });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("That picture is too large: at most 1 MB.");
    expect(await versionOf(u.id)).toBeNull();
    // The larger limit is for the upload route only.
    const form = await u.client.post("/edit-profile", { name: "x", location: "", about_me: "a".repeat(70 * 1024) });
    expect(form.status).toBe(413);
    expect(await form.text()).toContain("That request is too large.");
  });

  it("needs a session", async () => {
    const res = await uploadRequest(new Client(), { bytes: file(PNG), name: "me.png", type: "image/png" });
    expectSentToLogin(res);
    expectSentToLogin(await new Client().post("/edit-profile/avatar/delete"));
  });

  it("refuses a cross-site upload (CSRF) and stores nothing", async () => {
    const u = await confirmedUser("avcsrf");
    const res = await uploadRequest(u.client, { bytes: file(PNG), name: "me.png", type: "image/png" }, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(await versionOf(u.id)).toBeNull();
    const del = await u.client.post("/edit-profile/avatar/delete", {}, { Origin: "https://evil.example" });
    expect(del.status).toBe(403);
  });
});

describe("removing a picture", () => {
  it("removes only one's own: the default shows again and the old URL is gone", async () => {
    const owner = await confirmedUser("avown");
    const other = await confirmedUser("avother");
    await uploadRequest(owner.client, { bytes: file(PNG), name: "me.png", type: "image/png" });
    const version = await versionOf(owner.id);
    expect(version).not.toBeNull();

    // Another member's remove button removes their own (nothing), never the owner's.
    const foreign = await other.client.post("/edit-profile/avatar/delete");
    expect(foreign.status).toBe(303);
    expect(await versionOf(owner.id)).toBe(version);
    expect((await new Client().get(`/avatars/${owner.id}?v=${version}`)).status).toBe(200);

    const res = await owner.client.post("/edit-profile/avatar/delete");
    expect(res.status).toBe(303);
    expect((await owner.client.follow(res)).html).toContain("Your picture has been removed.");
    expect(await versionOf(owner.id)).toBeNull();
    expect((await new Client().get(`/avatars/${owner.id}?v=${version}`)).status).toBe(404);
    expect(await (await owner.client.get(`/user/${owner.username}`)).text()).toContain(`src="/avatars/${owner.username.toLowerCase()}.svg"`);
  });

  it("deleting the account deletes the picture", async () => {
    const u = await confirmedUser("avgone");
    await uploadRequest(u.client, { bytes: file(PNG), name: "me.png", type: "image/png" });
    expect(await env.AVATARS.head(`avatars/${u.id}`)).not.toBeNull();
    const res = await u.client.post("/account/delete", { password: u.password });
    expect(res.status).toBe(303);
    expect(await env.AVATARS.head(`avatars/${u.id}`)).toBeNull();
  });
});
