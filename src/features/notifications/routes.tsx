// /notifications (the list; opening it marks everything read), its mail settings and the nav badge's
// refresh. Thin handlers: every route is the logged-in member's own; none takes a notification id.
import type { Context } from "hono";
import { Hono } from "hono";
import type { WebEnv } from "../../env";
import { t } from "../../i18n";
import { validate } from "../../lib/forms";
import { parsePageRequest } from "../../lib/pagination";
import { readForm } from "../../middleware/form-body";
import { requireLogin, withUser } from "../../middleware/permissions";
import { flash } from "../../views/flash";
import { NotificationBadge } from "../../views/notification-badge";
import { readerTimeZone } from "../../views/reader";
import { isPartial, redirect, renderPage } from "../../views/render";
import { kindsOfBits } from "./kinds";
import { mailSettingsSchema } from "./schemas";
import * as service from "./service";
import * as v from "./views";

export const notificationRoutes = new Hono<WebEnv>();
notificationRoutes.use("*", requireLogin);

notificationRoutes.get(
  "/",
  withUser(async (c, user) => {
    const now = Date.now();
    const page = await service.openNotifications(
      c.get("db"),
      user.id,
      parsePageRequest((n) => c.req.query(n)),
      now,
    );
    // The nav was loaded with the session, before the list was marked read: it shows none unread now.
    c.set("user", { ...user, unreadNotifications: 0 });
    c.header("Cache-Control", "private, no-store");
    return renderPage(c, { title: t("notifications.title") }, <v.NotificationsPage page={page} tz={readerTimeZone(c)} now={now} />);
  }),
);

/** The badge alone: its count came with the session's user (no query of its own). */
notificationRoutes.get(
  "/badge",
  withUser((c, user) => {
    c.header("Cache-Control", "private, no-store");
    return c.html(<NotificationBadge unread={user.unreadNotifications} />);
  }),
);

notificationRoutes.get(
  "/settings",
  withUser(async (c, user) => {
    const chosen = kindsOfBits(await service.mailKindsOf(c.get("db"), user.id));
    return renderPage(c, { title: t("notifications.mailTitle") }, <v.MailSettingsPage chosen={chosen} />);
  }),
);

notificationRoutes.post(
  "/settings",
  withUser(async (c: Context<WebEnv>, user) => {
    const form = validate(mailSettingsSchema, await readForm(c));
    if (!form.ok) {
      const error = t("notifications.tampered");
      const chosen = kindsOfBits(await service.mailKindsOf(c.get("db"), user.id));
      return renderPage(
        c,
        { title: t("notifications.mailTitle"), status: 422, fragment: <v.MailSettingsForm chosen={chosen} error={error} /> },
        <v.MailSettingsPage chosen={chosen} error={error} />,
      );
    }
    await service.saveMailKinds(c.get("db"), user.id, form.data, Date.now());
    if (isPartial(c)) return c.html(<v.MailSettingsForm chosen={form.data} saved={true} />);
    await flash(c, t("notifications.saved"), "success");
    return redirect(c, "/notifications/settings");
  }),
);
