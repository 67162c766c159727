// Every page's tab says which page it is (issue 15): never an empty or bare "Roost" title, for a stranger, a
// member or a moderator. A member's home is "Home · Roost"; a stranger's says what Roost is.
import { describe, expect, it } from "vitest";
import { confirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { insertComment, insertPost } from "../helpers/posts";

const titleOf = (html: string) => html.match(/<title>([^<]*)<\/title>/)?.[1];

describe("page titles", () => {
  it("every page has its own title, never an empty or bare one", async () => {
    const member = await confirmedUser("titles", { role: "Moderator" });
    const other = await confirmedUser("titlesb");
    const postId = await insertPost(member.id, "A post about #birds", Date.now());
    await insertComment(postId, other.id, "A comment");
    const made = await member.client.post("/sites", { name: "Title site", base_url: "https://titles.example" });
    const sitePath = made.headers.get("Location")!;
    expect(sitePath).toMatch(/^\/sites\/\d+$/);
    await member.client.post(`/messages/${other.username}`, { body: "Hello there" });

    const memberPages: [string, string][] = [
      ["/", "Home · Roost"],
      ["/explore", "Explore · Roost"],
      [`/post/${postId}`, `Post by ${member.username} · Roost`],
      [`/edit/${postId}`, "Edit Post · Roost"],
      [`/user/${member.username}`, `${member.username} · Roost`],
      ["/edit-profile", "Edit Profile · Roost"],
      ["/tags/birds", "#birds · Roost"],
      ["/search?q=birds", "Search: birds · Roost"],
      ["/notifications", "Notifications · Roost"],
      ["/messages", "Messages · Roost"],
      [`/messages/${other.username}`, `Messages with ${other.username} · Roost`],
      ["/sites", "Your sites · Roost"],
      [sitePath, "Title site · Roost"],
      [`${sitePath}/sharing`, "Share Title site · Roost"],
      ["/account", "Your data · Roost"],
      ["/moderate", "Moderate comments · Roost"],
      ["/api", "API · Roost"],
      ["/no-such-page", "Page not found · Roost"],
    ];
    const strangerPages: [string, string][] = [
      ["/", "Your own blog, among friends · Roost"],
      ["/auth/login", "Log In · Roost"],
      ["/about", "About · Roost"],
      ["/privacy", "Privacy · Roost"],
    ];
    const stranger = new Client();
    const seen: [string, string | undefined][] = [];
    for (const [client, pages] of [
      [member.client, memberPages],
      [stranger, strangerPages],
    ] as const) {
      for (const [path] of pages) seen.push([path, titleOf(await (await client.get(path)).text())]);
    }
    expect(seen).toEqual([...memberPages, ...strangerPages]);
  });
});
