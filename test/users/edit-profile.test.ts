// Profile editors: your own (/edit-profile) and the admin's (/edit-profile/<id>). Every field gets bad
// input on purpose; refusals change nothing; errors come back as 422 with the typed values kept.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { avatarHash } from "../../src/lib/avatar";
import { confirmedUser, expectSentToLogin, insertUsers, roleId, setRole, userRow } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { HX } from "../helpers/http";

/** The admin editor's form: these credentials, confirmed, with the named role and an empty profile. */
async function adminForm(u: { email: string; username: string }, role = "User") {
  return { email: u.email, username: u.username, confirmed: "y", role: String(await roleId(role)), name: "", location: "", about_me: "" };
}

const admin = (prefix = "adm") => confirmedUser(prefix, { role: "Administrator" });

describe("/edit-profile (own profile)", () => {
  it("needs a session", async () => {
    const get = await new Client().get("/edit-profile");
    expect(get.status).toBe(303);
    expect(get.headers.get("Location")).toBe("/auth/login?next=%2Fedit-profile");
    const post = await new Client().post("/edit-profile", { name: "x" });
    expectSentToLogin(post);
  });

  it("shows the current values and saves name, location and about me", async () => {
    const u = await confirmedUser("epown");
    const form = await (await u.client.get("/edit-profile")).text();
    expect(form).toContain('name="name"');
    expect(form).toContain('name="location"');
    expect(form).toContain('name="about_me"');
    const res = await u.client.post("/edit-profile", { name: "  Grace Hopper ", location: "Arlington", about_me: "Line one\r\nLine two\r\n" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/user/${u.username}`);
    const page = await u.client.follow(res);
    expect(page.html).toContain("Your profile has been updated.");
    expect(page.html).toContain("Grace Hopper");
    const row = await userRow(u.id);
    expect(row).toMatchObject({ name: "Grace Hopper", location: "Arlington", about_me: "Line one\nLine two" });
    // The form shows them next time; empty fields clear them.
    expect(await (await u.client.get("/edit-profile")).text()).toContain('value="Grace Hopper"');
    await u.client.post("/edit-profile", { name: "", location: "", about_me: "" });
    expect(await userRow(u.id)).toMatchObject({ name: null, location: null, about_me: null });
  });

  it("rejects too-long fields with 422, keeps what was typed and changes nothing", async () => {
    const u = await confirmedUser("eplong");
    await u.client.post("/edit-profile", { name: "Before", location: "", about_me: "" });
    const cases: [Record<string, string>, string][] = [
      [{ name: "n".repeat(65), location: "ok", about_me: "ok" }, "Name must be at most 64 characters."],
      [{ name: "ok", location: "l".repeat(65), about_me: "ok" }, "Location must be at most 64 characters."],
      [{ name: "ok", location: "ok", about_me: "a".repeat(2001) }, "About me must be at most 2000 characters."],
    ];
    for (const [body, message] of cases) {
      const res = await u.client.post("/edit-profile", body);
      expect(res.status, message).toBe(422);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).toContain(`value="${body.name}"`);
    }
    // 2000 characters with CRLF line breaks counts each break once.
    const ok = await u.client.post("/edit-profile", { name: "", location: "", about_me: "a\r\n".repeat(666) + "ab" });
    expect(ok.status).toBe(303);
    const tooLong = await u.client.post("/edit-profile", { name: "Nope", location: "", about_me: "a".repeat(2001) });
    expect(tooLong.status).toBe(422);
    expect((await userRow(u.id))!.name).toBeNull();
  });

  it("answers an htmx partial with just the form fragment on errors", async () => {
    const u = await confirmedUser("ephx");
    const res = await u.client.post("/edit-profile", { name: "n".repeat(65) }, HX);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/^<form id="edit-profile-form"/);
    expect(html).not.toContain("<html");
    const ok = await u.client.post("/edit-profile", { name: "Fine" }, HX);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("HX-Redirect")).toBe(`/user/${u.username}`);
  });
});

describe("/edit-profile/<id> (admin editor)", () => {
  it("is refused to anonymous visitors, users and moderators, changing nothing", async () => {
    const [target] = await insertUsers(1, "eptarget");
    const before = await userRow(target!.id);
    const anon = await new Client().get(`/edit-profile/${target!.id}`);
    expectSentToLogin(anon);
    const u = await confirmedUser("epnonadm");
    const body = {
      email: "stolen@example.org",
      username: "stolen",
      confirmed: "",
      role: String(await roleId("Administrator")),
      name: "",
      location: "",
      about_me: "",
    };
    for (const role of ["User", "Moderator"]) {
      await setRole(u.id, role);
      expect((await u.client.get(`/edit-profile/${target!.id}`)).status).toBe(403);
      expect((await u.client.post(`/edit-profile/${target!.id}`, body)).status).toBe(403);
      // Not even on their own id, and an unknown id is still 403 (no probing).
      expect((await u.client.post(`/edit-profile/${u.id}`, body)).status).toBe(403);
      expect((await u.client.get("/edit-profile/999999999")).status).toBe(403);
    }
    expect(await userRow(target!.id)).toEqual(before);
    expect((await userRow(u.id))!.role).toBe("Moderator");
  });

  it("lets an admin edit every field of someone else", async () => {
    const a = await admin("epadm");
    const [target] = await insertUsers(1, "epedit");
    const page = await (await a.client.get(`/edit-profile/${target!.id}`)).text();
    expect(page).toContain(`value="${target!.email}"`);
    expect(page).toContain(`value="${target!.username}"`);
    expect(page).toMatch(/name="confirmed"[^>]*checked/);
    expect(page).toContain("<option");
    expect(page).toContain(">Moderator</option>");

    const newName = `Renamed${target!.id}x`;
    const res = await a.client.post(`/edit-profile/${target!.id}`, {
      email: ` New.${target!.id}@Example.ORG `,
      username: newName,
      role: String(await roleId("Moderator")),
      name: "New Name",
      location: "Oslo",
      about_me: "Hello",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/user/${newName}`);
    expect((await a.client.follow(res)).html).toContain("The profile has been updated.");
    const row = await userRow(target!.id);
    const email = `new.${target!.id}@example.org`;
    expect(row).toEqual({
      email,
      username: newName,
      confirmed: 0,
      name: "New Name",
      location: "Oslo",
      about_me: "Hello",
      avatar_hash: await avatarHash(email),
      role: "Moderator",
    });
    // Checking the box confirms; changing only the username's case is allowed.
    const again = await a.client.post(`/edit-profile/${target!.id}`, await adminForm({ email, username: newName.toLowerCase() }));
    expect(again.status).toBe(303);
    expect(await userRow(target!.id)).toMatchObject({ username: newName.toLowerCase(), confirmed: 1, role: "User", name: null });
  });

  it("never demotes or unconfirms the last Administrator, not even themself", async () => {
    const a = await admin("eplast");
    await env.DB.prepare("UPDATE users SET role_id = (SELECT id FROM roles WHERE is_default = 1) WHERE id != ?").bind(a.id).run();
    const form = (over: Record<string, string>) => ({
      email: a.email,
      username: a.username,
      confirmed: "y",
      name: "",
      location: "",
      about_me: "",
      ...over,
    });
    for (const [what, over] of [
      ["demoted to User", { role: "User" }],
      ["demoted to Moderator", { role: "Moderator" }],
      ["unconfirmed", { role: "Administrator", confirmed: "" }],
    ] as const) {
      const { confirmed, role } = { confirmed: "y", ...over };
      const res = await a.client.post(`/edit-profile/${a.id}`, form({ role: String(await roleId(role)), confirmed }));
      expect(res.status, what).toBe(422);
      expect(await res.text(), what).toContain("This is the last Administrator: make someone else Administrator first.");
      expect(await userRow(a.id), what).toMatchObject({ role: "Administrator", confirmed: 1 });
    }
    // Other fields of the last Administrator can still change.
    expect((await a.client.post(`/edit-profile/${a.id}`, form({ role: String(await roleId("Administrator")), name: "Still here" }))).status).toBe(303);
    // With a second Administrator, either may step down.
    const b = await admin("eplast2");
    expect((await a.client.post(`/edit-profile/${a.id}`, form({ role: String(await roleId("User")) }))).status).toBe(303);
    expect(await userRow(a.id)).toMatchObject({ role: "User" });
    expect(await userRow(b.id)).toMatchObject({ role: "Administrator" });
  });

  it("refuses an email or username someone else has (username case-insensitively) with 422", async () => {
    const a = await admin("epdup");
    const [target, other] = await insertUsers(2, "epdupu");
    const before = await userRow(target!.id);
    const base = await adminForm(target!);
    const byEmail = await a.client.post(`/edit-profile/${target!.id}`, { ...base, email: other!.email.toUpperCase() });
    expect(byEmail.status).toBe(422);
    const emailHtml = await byEmail.text();
    expect(emailHtml).toContain("Email already registered.");
    expect(emailHtml).toContain(`value="${other!.email.toUpperCase()}"`);
    const byName = await a.client.post(`/edit-profile/${target!.id}`, { ...base, username: other!.username.toUpperCase() });
    expect(byName.status).toBe(422);
    expect(await byName.text()).toContain("Username already in use.");
    expect(await userRow(target!.id)).toEqual(before);
  });

  it("rejects bad input in every field with 422 and the field's message", async () => {
    const a = await admin("epbad");
    const [target] = await insertUsers(1, "epbadu");
    const before = await userRow(target!.id);
    const good = await adminForm(target!);
    const cases: [Record<string, string>, string][] = [
      [{ email: "" }, "Email is required."],
      [{ email: "not-an-email" }, "Enter a valid email address."],
      [{ email: `${"e".repeat(60)}@example.org` }, "Email must be at most 64 characters."],
      [{ username: "" }, "Username is required."],
      [{ username: "1abc" }, "Usernames must start with a letter"],
      [{ username: "has space" }, "Usernames must start with a letter"],
      [{ username: "u".repeat(65) }, "Username must be at most 64 characters."],
      [{ confirmed: "maybe" }, "Invalid value for a checkbox."],
      [{ role: "" }, "Choose a role."],
      [{ role: "abc" }, "Choose a role from the list."],
      [{ role: "999" }, "Choose a role from the list."],
      [{ role: "-1" }, "Choose a role from the list."],
      [{ name: "n".repeat(65) }, "Name must be at most 64 characters."],
      [{ location: "l".repeat(65) }, "Location must be at most 64 characters."],
      [{ about_me: "a".repeat(2001) }, "About me must be at most 2000 characters."],
    ];
    for (const [over, message] of cases) {
      const res = await a.client.post(`/edit-profile/${target!.id}`, { ...good, ...over });
      expect(res.status, JSON.stringify(over)).toBe(422);
      expect(await res.text(), JSON.stringify(over)).toContain(message);
    }
    // A missing required field is an empty one.
    const missing = await a.client.post(`/edit-profile/${target!.id}`, { name: "x" });
    expect(missing.status).toBe(422);
    const html = await missing.text();
    expect(html).toContain("Email is required.");
    expect(html).toContain("Username is required.");
    expect(html).toContain("Choose a role.");
    expect(await userRow(target!.id)).toEqual(before);
  });

  it("answers 404 for unknown or malformed ids", async () => {
    const a = await admin("ep404");
    const body = { email: "x404@example.org", username: "x404", confirmed: "", role: String(await roleId("User")), name: "", location: "", about_me: "" };
    for (const id of ["999999999", "0", "abc", "1e3", "-1"]) {
      expect((await a.client.get(`/edit-profile/${id}`)).status, id).toBe(404);
      expect((await a.client.post(`/edit-profile/${id}`, body)).status, id).toBe(404);
    }
    // Bad input for an unknown id is still a 404.
    expect((await a.client.post("/edit-profile/999999999", { email: "" })).status).toBe(404);
  });

  it("answers an htmx partial with just the form fragment", async () => {
    const a = await admin("ephxa");
    const [target] = await insertUsers(1, "ephxt");
    const res = await a.client.post(`/edit-profile/${target!.id}`, { email: "bad" }, HX);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/^<form id="admin-edit-form"/);
    expect(html).toContain('value="bad"');
    expect(html).not.toContain("<html");
  });

  it("keeps an edited user's session working with their new role", async () => {
    const a = await admin("eprole");
    const u = await confirmedUser("eproleu");
    const r = await a.client.post(`/edit-profile/${u.id}`, await adminForm(u, "Moderator"));
    expect(r.status).toBe(303);
    const home = await (await u.client.get("/")).text();
    expect(home).toContain('href="/moderate"');
    const row = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE id = ?").bind(u.id).first<{ n: number }>();
    expect(row!.n).toBe(1);
  });
});
