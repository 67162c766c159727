// The whole account life cycle as a user meets it: register, mail, confirm, greeting, log out.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { linkIn, login, register, uniqueUser } from "../helpers/accounts";
import { Client } from "../helpers/client";

async function mailbox(client: Client) {
  const res = await client.get("/dev/mail.json");
  expect(res.status).toBe(200);
  return (await res.json()) as { id: number; to: string; subject: string; text: string; status: string }[];
}

describe("register → confirm → greet → logout", () => {
  it("walks the whole flow", async () => {
    const u = uniqueUser("flow");
    const client = new Client();

    const home = await client.get("/");
    expect(await home.text()).toContain("Your own blog, among friends.");

    const reg = await register(client, u);
    expect(reg.status).toBe(303);
    expect(reg.headers.get("Location")).toBe("/auth/login");
    const loginPage = await client.follow(reg);
    expect(loginPage.html).toContain(`We have sent a confirmation link to ${u.email}. Open it to finish signing up.`);

    // The queue consumer captures the mail in development; the dev mailbox lists it.
    let mail: Awaited<ReturnType<typeof mailbox>>[number] | undefined;
    for (let i = 0; i < 50 && mail?.status !== "captured"; i++) {
      mail = (await mailbox(client)).find((m) => m.to === u.email);
      if (mail?.status !== "captured") await new Promise((r) => setTimeout(r, 100));
    }
    expect(mail?.subject).toBe("[Roost] Confirm Your Account");
    expect(mail?.status).toBe("captured");
    expect(mail!.text).toContain(`${env.BASE_URL}/auth/confirm/`);

    const li = await login(client, u.username, u.password);
    expect(li.status).toBe(303);
    // Unconfirmed: every page outside /auth/ leads to the unconfirmed page.
    const gated = await client.get("/");
    expect(gated.status).toBe(303);
    expect(gated.headers.get("Location")).toBe("/auth/unconfirmed");

    const confirm = await client.get(linkIn(mail!.text));
    expect(confirm.status).toBe(303);
    const after = await client.follow(confirm);
    expect(after.html).toContain("You have confirmed your account. Thanks!");
    expect(after.html).toContain(`Hello, ${u.username}!`);

    const out = await client.post("/auth/logout");
    expect(out.status).toBe(303);
    const bye = await client.follow(out);
    expect(bye.html).toContain("You have been logged out.");
    expect(bye.html).toContain("Your own blog, among friends.");
  });
});
