import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { WebEnv } from "../../env";
import { eventContextOf } from "../../events/request";
import { t } from "../../i18n";
import { clientNetwork } from "../../lib/client-network";
import { validate } from "../../lib/forms";
import { retryMessage } from "../../lib/time";
import { readForm } from "../../middleware/form-body";
import { requireLogin, withUser } from "../../middleware/permissions";
import { endSession } from "../../middleware/session";
import { flash } from "../../views/flash";
import { readerTimeZone } from "../../views/reader";
import { isPartial, redirect, renderPage } from "../../views/render";
import { BlockedList, listBlocked } from "../blocks";
import { FediverseSection, leftFediverseAt, listRemoteBlocks } from "../federation";
import { listSites } from "../sites";
import { deleteAvatarObject } from "../users";
import { deleteAccount, exportUserData } from "./service";
import { AccountPage, DeleteForm } from "./views";

export const accountRoutes = new Hono<WebEnv>();
accountRoutes.use(requireLogin);

const deleteSchema = z.object({
  password: z
    .string()
    .min(1, { error: () => t("account.v.enterPassword") })
    .max(128, { error: () => t("auth.invalidPassword") }),
});

/** The blocked-members section: the member's own list, one query. */
async function blockedSection(c: Context<WebEnv>, userId: number) {
  return <BlockedList items={await listBlocked(c.get("db"), userId)} tz={readerTimeZone(c)} now={Date.now()} />;
}

/** Leave or rejoin the fediverse (features/federation): the member's handle there, their choice and their blocks of people elsewhere (two queries, at once). */
async function fediverseSection(c: Context<WebEnv>, user: { id: number; username: string }) {
  const handle = `@${user.username}@${new URL(c.get("config").baseUrl).host}`;
  const db = c.get("db");
  const [leftAt, blocked] = await Promise.all([leftFediverseAt(db, user.id), listRemoteBlocks(db, user.id)]);
  return <FediverseSection leftAt={leftAt} handle={handle} blocked={blocked} tz={readerTimeZone(c)} now={Date.now()} />;
}

accountRoutes.get(
  "/",
  withUser(async (c, user) => {
    c.header("Cache-Control", "private, no-store");
    return renderPage(c, { title: t("account.title") }, <AccountPage blocked={await blockedSection(c, user.id)} fediverse={await fediverseSection(c, user)} />);
  }),
);

accountRoutes.get(
  "/export.json",
  withUser(async (c, user) => {
    const sites = (await listSites(c.get("db"), user.id)).map((s) => ({
      id: s.id,
      name: s.name,
      base_url: s.baseUrl,
      created_at: new Date(s.createdAt).toISOString(),
      pageviews_last_7_days: s.pageviews,
    }));
    const data = await exportUserData(c.get("db"), user.id, {
      sites,
      site_visits: "Each site's raw visits download as CSV from its report page (/sites/<id>).",
    });
    c.header("Content-Disposition", `attachment; filename="roost-${user.username}.json"`);
    c.header("Cache-Control", "no-store");
    return c.json(data);
  }),
);

accountRoutes.post(
  "/delete",
  withUser(async (c, user) => {
    const form = validate(deleteSchema, await readForm(c));
    const refuse = async (error: string, status: 422 | 429 = 422) =>
      renderPage(
        c,
        { title: t("account.title"), status, fragment: <DeleteForm error={error} /> },
        <AccountPage
          error={error}
          blocked={isPartial(c) ? null : await blockedSection(c, user.id)}
          fediverse={isPartial(c) ? null : await fediverseSection(c, user)}
        />,
      );
    if (!form.ok) return refuse(form.errors.password!);
    const result = await deleteAccount(eventContextOf(c), user.id, form.data.password, clientNetwork(c.req.raw.headers));
    if (!result.ok && result.limited) {
      c.header("Retry-After", String(result.retryAfterSeconds));
      return refuse(retryMessage(result.retryAfterSeconds), 429);
    }
    if (!result.ok) return refuse(result.lastAdmin ? t("users.lastAdminSelf") : t("auth.invalidPassword"));
    // The uploaded picture (R2) goes with the account; the row is gone, so no page points at it any more.
    await deleteAvatarObject(c.env.AVATARS, user.id);
    await endSession(c);
    await flash(c, t("account.flash.deleted"), "success");
    return redirect(c, "/");
  }),
);
