// Comments on posts and their moderation: thin handlers over comments/service.ts and queries.ts.
import type { Context } from "hono";
import { Hono } from "hono";
import type { WebEnv } from "../../env";
import { eventContextOf } from "../../events/request";
import { t } from "../../i18n";
import { abuseRules, takeSlot, userKey } from "../../lib/abuse";
import { validate } from "../../lib/forms";
import { parseId } from "../../lib/ids";
import { parsePageRequest } from "../../lib/pagination";
import { Permission } from "../../lib/permissions";
import { safeNextPath } from "../../lib/safe-redirect";
import { errorResponse, setErrorHeaders } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { requirePermission, withUser } from "../../middleware/permissions";
import { flash } from "../../views/flash";
import { readerTimeZone } from "../../views/reader";
import { isPartial, redirect, renderPage } from "../../views/render";
import { getComment, getCommentWithTotal, getModerationItem, listForModeration } from "./queries";
import { commentSchema } from "./schemas";
import * as service from "./service";
import * as v from "./views";

const NO_POST = () => t("posts.noSuchPost");

export const commentRoutes = new Hono<WebEnv>();

const show = (c: Context<WebEnv>) => ({ tz: readerTimeZone(c), now: Date.now() });

// --- Writing comments ---------------------------------------------------------------------------

commentRoutes.post(
  "/post/:id/comments",
  requirePermission(Permission.COMMENT),
  withUser(async (c, user) => {
    const postId = parseId(c.req.param("id"));
    if (postId === null) return errorResponse(c, 404, NO_POST());
    const raw = await readForm(c);
    const form = validate(commentSchema, raw);
    const refuse = (status: 403 | 422 | 429, error: string) => {
      const formView = <v.CommentForm postId={postId} body={raw.body} error={error} onLastPage={raw.on_last_page === "1"} />;
      if (isPartial(c)) {
        // The form targets the list for appends; an error replaces the form instead.
        c.header("HX-Retarget", "#comment-form");
        c.header("HX-Reswap", "outerHTML");
      }
      return renderPage(c, { title: t("comments.add"), status, fragment: formView }, <v.CommentErrorPage postId={postId} form={formView} />);
    };
    if (!form.ok) return refuse(422, form.errors.body!);
    const limited = await takeSlot(c.get("db"), c.get("config"), abuseRules.comment, userKey(user.id));
    if (limited) {
      setErrorHeaders(c, limited.headers);
      return refuse(429, limited.message);
    }
    const added = await service.addComment(eventContextOf(c), postId, user.id, form.data.body);
    if (!added.ok) return added.reason === "no-post" ? errorResponse(c, 404, NO_POST()) : refuse(403, t("comments.blocked"));
    const { id } = added;
    if (isPartial(c) && raw.on_last_page === "1") {
      // Viewing the last page already: append the new comment in place and reset the form.
      const { comment, postTotal } = (await getCommentWithTotal(c.get("db"), id, user.id))!;
      return c.html(<v.AppendedComment comment={comment} postTotal={postTotal} {...show(c)} />);
    }
    await flash(c, t("comments.flash.published"), "success");
    return redirect(c, `/post/${postId}?page=-1#comment-${id}`);
  }),
);

// --- Moderation ---------------------------------------------------------------------------------

commentRoutes.get("/moderate", requirePermission(Permission.MODERATE), async (c) => {
  const page = await listForModeration(
    c.get("db"),
    parsePageRequest((n) => c.req.query(n)),
  );
  const url = new URL(c.req.url);
  return renderPage(c, { title: t("comments.moderateTitle") }, <v.ModeratePage page={page} next={url.pathname + url.search} {...show(c)} />);
});

function moderate(disabled: boolean) {
  return withUser(async (c, moderator) => {
    const id = parseId(c.req.param("id"));
    if (id === null || !(await service.setDisabled(eventContextOf(c), id, disabled, moderator.id))) return errorResponse(c, 404, t("comments.noSuchComment"));
    if (isPartial(c)) {
      const comment = (await getModerationItem(c.get("db"), id))!;
      const next = safeNextPath((await readForm(c)).next) ?? "/moderate";
      return c.html(<v.ModerationEntry comment={comment} next={next} {...show(c)} />);
    }
    const next = safeNextPath((await readForm(c)).next);
    await flash(c, disabled ? t("comments.flash.disabled") : t("comments.flash.enabled"), "success");
    return redirect(c, next?.startsWith("/moderate") ? next : "/moderate");
  });
}

const postOnly = (c: Context<WebEnv>) => {
  c.header("Allow", "POST");
  return errorResponse(c, 405, t("comments.useButtons"));
};
commentRoutes.post("/moderate/enable/:id", requirePermission(Permission.MODERATE), moderate(false));
commentRoutes.post("/moderate/disable/:id", requirePermission(Permission.MODERATE), moderate(true));
commentRoutes.get("/moderate/enable/:id", postOnly);
commentRoutes.get("/moderate/disable/:id", postOnly);

// --- Deleting comments --------------------------------------------------------------------------

/** The comment named in the URL if the viewer may delete it; otherwise the 404/403 response. */
async function deletableComment(c: Context<WebEnv>) {
  const id = parseId(c.req.param("id"));
  const comment = id === null ? undefined : await getComment(c.get("db"), id);
  if (!comment) return { error: await errorResponse(c, 404, t("comments.noSuchComment")) };
  if (!service.canDeleteComment(c.get("user"), comment)) return { error: await errorResponse(c, 403, t("error.noPermission")) };
  return { comment };
}

commentRoutes.get(
  "/comment/:id/delete",
  withUser(async (c, user) => {
    const { comment, error } = await deletableComment(c);
    if (error) return error;
    const showText = !comment.disabled || service.canModerate(user);
    return renderPage(c, { title: t("comments.deleteComment") }, <v.DeleteCommentPage comment={comment} showText={showText} {...show(c)} />);
  }),
);

commentRoutes.post(
  "/comment/:id/delete",
  withUser(async (c) => {
    const { comment, error } = await deletableComment(c);
    if (error) return error;
    await service.deleteComment(eventContextOf(c), comment.id);
    await flash(c, t("comments.flash.deleted"), "success");
    return redirect(c, `/post/${comment.postId}#comments`);
  }),
);
