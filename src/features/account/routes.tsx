// /account: the data-rights page, the JSON export and account deletion.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { requestDb } from "../../db/request";
import type { AppEnv } from "../../env";
import { clientNetwork } from "../../lib/client-network";
import { readForm, validate } from "../../lib/forms";
import { retryMessage } from "../../lib/time";
import { flash } from "../../middleware/flash";
import { requireLogin } from "../../middleware/permissions";
import { endSession } from "../../middleware/session";
import { redirect, renderPage } from "../../views/render";
import { listSites } from "../sites/service";
import { LAST_ADMIN_SELF } from "../users/admins";
import { deleteAccount, exportUserData } from "./service";
import { AccountPage, DeleteForm } from "./views";

export const accountRoutes = new Hono<AppEnv>();
accountRoutes.use(requireLogin);

const db = (c: Context<AppEnv>) => requestDb(c);
const deleteSchema = z.object({ password: z.string().min(1, "Enter your password to confirm.").max(128, "Invalid password.") });

accountRoutes.get("/", (c) => renderPage(c, { title: "Your data" }, <AccountPage />));

accountRoutes.get("/export.json", async (c) => {
  const user = c.get("user")!;
  const sites = (await listSites(db(c), user.id)).map((s) => ({
    id: s.id,
    name: s.name,
    base_url: s.baseUrl,
    created_at: new Date(s.createdAt).toISOString(),
    pageviews_last_7_days: s.pageviews,
  }));
  const data = await exportUserData(db(c), user.id, {
    sites,
    site_visits: "Each site's raw visits download as CSV from its report page (/sites/<id>).",
  });
  c.header("Content-Disposition", `attachment; filename="roost-${user.username}.json"`);
  c.header("Cache-Control", "no-store");
  return c.json(data);
});

accountRoutes.post("/delete", async (c) => {
  const form = validate(deleteSchema, await readForm(c));
  const refuse = (error: string, status: 422 | 429 = 422) =>
    renderPage(c, { title: "Your data", status, fragment: <DeleteForm error={error} /> }, <AccountPage error={error} />);
  if (!form.ok) return refuse(form.errors.password!);
  const result = await deleteAccount(db(c), c.get("user")!.id, form.data.password, clientNetwork(c.req.raw.headers));
  if (!result.ok && result.limited) {
    c.header("Retry-After", String(result.retryAfterSeconds));
    return refuse(retryMessage(result.retryAfterSeconds), 429);
  }
  if (!result.ok) return refuse(result.lastAdmin ? LAST_ADMIN_SELF : "Invalid password.");
  await endSession(c);
  await flash(c, "Your account and everything in it have been deleted.", "success");
  return redirect(c, "/");
});
