// The data export's notifications and private messages (issue 12): the member's own notifications (a
// moderator never named), both sides of each of their conversations and never another pair's, all in the
// export's one batch: the same number of D1 queries for an empty account as for a busy one.
import { describe, expect, it } from "vitest";
import { type Account, confirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries } from "../helpers/http";
import { insertComment, insertPost } from "../helpers/posts";

type Exported = {
  notifications: { kind: string; text: string; actor: string | null; post_id: number | null; read_at: string | null }[];
  conversations: { with: string; messages: { from: string; body: string; sent_at: string }[] }[];
};

const send = async (from: Account, to: Account, body: string) => expect((await from.client.post(`/messages/${to.username}`, { body })).status).toBe(303);

async function exportOf(who: Account): Promise<{ data: Exported; text: string; queries: number }> {
  const res = await who.client.get("/account/export.json");
  expect(res.status).toBe(200);
  const text = await res.text();
  return { data: JSON.parse(text), text, queries: d1Queries(res) };
}

describe("the data export's notifications and messages", () => {
  it("holds both sides of the member's conversations, newest conversation first, and nobody else's", async () => {
    const ann = await confirmedUser("xma");
    const ben = await confirmedUser("xmb");
    const cat = await confirmedUser("xmc");
    const empty = await exportOf(ann);
    expect(empty.data.conversations).toEqual([]);
    expect(empty.data.notifications).toEqual([]);

    await send(ann, ben, "hello ben");
    await send(ben, ann, "hello ann");
    await send(ben, cat, "ben to cat, secret xmsecret1");
    await send(cat, ben, "cat to ben, secret xmsecret2");
    await send(cat, ann, "cat to ann");
    const { data, text, queries } = await exportOf(ann);
    expect(data.conversations).toEqual([
      { with: cat.username, messages: [{ from: cat.username, body: "cat to ann", sent_at: expect.any(String) }] },
      {
        with: ben.username,
        messages: [
          { from: ann.username, body: "hello ben", sent_at: expect.any(String) },
          { from: ben.username, body: "hello ann", sent_at: expect.any(String) },
        ],
      },
    ]);
    expect(text).not.toContain("xmsecret");
    // Ben and Cat each get their own pair's messages, and Ann's with them, never each other's with Ann.
    const forBen = (await exportOf(ben)).data.conversations;
    expect(forBen.map((c) => c.with).sort()).toEqual([ann.username, cat.username].sort());
    expect(JSON.stringify(forBen)).not.toContain("cat to ann");
    // However much there is, the export is the same one batch.
    expect(queries).toBe(empty.queries);
  });

  it("holds the member's notifications, read or not, grouped as on the page, without naming a moderator", async () => {
    const ann = await confirmedUser("xna");
    const ben = await confirmedUser("xnb");
    const cat = await confirmedUser("xnc");
    const mod = await confirmedUser("xnm", { role: "Moderator" });
    const postId = await insertPost(ann.id, "ann's exported post", Date.now() - 10_000);
    expect((await ben.client.post(`/post/${postId}/comments`, { body: "ben says" })).status).toBe(303);
    expect((await cat.client.post(`/post/${postId}/comments`, { body: "cat says" })).status).toBe(303);
    expect((await ben.client.post(`/follow/${ann.username}`)).status).toBe(303);
    const modPost = await insertPost(mod.id, "a moderator's post", Date.now());
    const rude = await insertComment(modPost, ann.id, "ann is rude");
    expect((await mod.client.post(`/moderate/disable/${rude}`)).status).toBe(303);
    // Opening the page marks them read: the export keeps them, with when.
    expect((await ann.client.get("/notifications")).status).toBe(200);
    // Ben's own notifications are not Ann's.
    expect((await ann.client.post(`/follow/${ben.username}`)).status).toBe(303);

    const { data } = await exportOf(ann);
    const byKind = Object.fromEntries(data.notifications.map((n) => [n.kind, n]));
    expect(Object.keys(byKind).sort()).toEqual(["comment", "follow", "moderated"]);
    expect(byKind.comment).toMatchObject({ text: `${cat.username} and 1 other commented on your post`, actor: cat.username, post_id: postId });
    expect(byKind.follow).toMatchObject({ text: `${ben.username} followed you`, actor: ben.username });
    expect(byKind.moderated).toMatchObject({ text: "A moderator disabled your comment", actor: null });
    expect(JSON.stringify(data.notifications)).not.toContain(mod.username);
    for (const n of data.notifications) expect(n.read_at).toEqual(expect.any(String));
    // Ben's export has his own: Ann's follow and Cat's comment after his, none of Ann's.
    expect((await exportOf(ben)).data.notifications.map((n) => n.text)).toEqual([
      `${ann.username} followed you`,
      `${cat.username} also commented on a post you commented on`,
    ]);
  });

  it("needs a session; a GET with another member's name or id gives nothing of theirs", async () => {
    const ann = await confirmedUser("xsa");
    const ben = await confirmedUser("xsb");
    await send(ann, ben, "xssecret for ben");
    const anonymous = await new Client().get("/account/export.json");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("Location")).toMatch(/^\/auth\/login/);
    const cat = await confirmedUser("xsc");
    for (const path of [`/account/export.json?user=${ann.id}`, `/account/export.json?username=${ann.username}`]) {
      const res = await cat.client.get(path);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain("xssecret");
    }
  });
});
