// /messages (the member's conversations) and /messages/<username> (the conversation with that person and
// its reply form). Thin handlers; every route is about the logged-in member and one other person by name.
import type { Context } from "hono";
import { Hono } from "hono";
import type { CurrentUser, WebEnv } from "../../env";
import { t } from "../../i18n";
import { abuseRules, takeSlot, userKey } from "../../lib/abuse";
import { validate } from "../../lib/forms";
import { errorResponse, setErrorHeaders } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { requireLogin, withUser } from "../../middleware/permissions";
import { readerTimeZone } from "../../views/reader";
import { isPartial, redirect, renderPage } from "../../views/render";
import { listConversations } from "./queries";
import { messageSchema } from "./schemas";
import * as service from "./service";
import * as v from "./views";

export const messageRoutes = new Hono<WebEnv>();
messageRoutes.use("*", requireLogin);

const show = (c: Context<WebEnv>) => ({ tz: readerTimeZone(c), now: Date.now() });

messageRoutes.get(
  "/",
  withUser(async (c, user) => {
    c.header("Cache-Control", "private, no-store");
    return renderPage(c, { title: t("messages.title") }, <v.ConversationsPage items={await listConversations(c.get("db"), user.id)} {...show(c)} />);
  }),
);

messageRoutes.get(
  "/:username",
  withUser(async (c, user) => {
    const db = c.get("db");
    const found = await service.findOther(db, user.id, c.req.param("username") ?? "");
    if (!found.ok) return errorResponse(c, found.status, found.message);
    const items = await service.openThread(db, user.id, found.other, Date.now());
    c.header("Cache-Control", "private, no-store");
    // The nav was loaded with the session, before this conversation was marked read.
    c.set("user", { ...user, unreadConversations: Math.max(0, user.unreadConversations - 1) });
    return renderPage(
      c,
      { title: t("messages.withTitle", { username: found.other.username }) },
      <v.ThreadPage otherName={found.other.username} me={user.id} items={items} {...show(c)} />,
    );
  }),
);

async function send(c: Context<WebEnv>, user: CurrentUser): Promise<Response> {
  const db = c.get("db");
  const found = await service.findOther(db, user.id, c.req.param("username") ?? "");
  if (!found.ok) return errorResponse(c, found.status, found.message);
  const { other } = found;
  const raw = await readForm(c);
  const refuse = async (status: 403 | 422 | 429, error: string) => {
    const form = <v.MessageForm username={other.username} body={raw.body} error={error} />;
    if (isPartial(c)) {
      // The form targets the thread for appends; an error replaces the form instead.
      c.header("HX-Retarget", "#message-form");
      c.header("HX-Reswap", "outerHTML");
      return c.html(form, status);
    }
    const items = await service.openThread(db, user.id, other, Date.now());
    return renderPage(
      c,
      { title: t("messages.withTitle", { username: other.username }), status },
      <v.ThreadPage otherName={other.username} me={user.id} items={items} form={form} {...show(c)} />,
    );
  };
  if (other.blocked) return refuse(403, t("messages.blocked"));
  const form = validate(messageSchema, raw);
  if (!form.ok) return refuse(422, form.errors.body ?? t("messages.required"));
  const limited = await takeSlot(db, c.get("config"), abuseRules.message, userKey(user.id));
  if (limited) {
    setErrorHeaders(c, limited.headers);
    return refuse(429, limited.message);
  }
  const message = await service.sendMessage(db, user.id, other, form.data.body, Date.now());
  if (message && isPartial(c)) {
    return c.html(
      <>
        <v.MessageEntry m={message} me={user.id} otherName={other.username} {...show(c)} />
        <v.MessageForm username={other.username} oob={true} />
      </>,
    );
  }
  return redirect(c, `/messages/${encodeURIComponent(other.username)}${message ? `#message-${message.id}` : ""}`);
}

messageRoutes.post("/:username", withUser(send));
