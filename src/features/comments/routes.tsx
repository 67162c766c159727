// Comments on posts and their moderation: thin handlers over comments/service.ts and queries.ts.
import type { Context } from "hono";
import { Hono } from "hono";
import { requestDb } from "../../db/request";
import type { AppEnv } from "../../env";
import { readForm, validate } from "../../lib/forms";
import { parseId } from "../../lib/ids";
import { parsePageRequest } from "../../lib/pagination";
import { Permission } from "../../lib/permissions";
import { safeNextPath } from "../../lib/safe-redirect";
import { rules, takeSlot } from "../../middleware/abuse";
import { errorResponse } from "../../middleware/errors";
import { flash } from "../../middleware/flash";
import { requireLogin, requirePermission } from "../../middleware/permissions";
import { readerTimeZone } from "../../views/reader";
import { isPartial, redirect, renderPage } from "../../views/render";
import { postExists } from "../posts/queries";
import { getComment, listForModeration } from "./queries";
import { commentSchema } from "./schemas";
import * as service from "./service";
import * as v from "./views";

export const commentRoutes = new Hono<AppEnv>();

const db = (c: Context<AppEnv>) => requestDb(c);
const show = (c: Context<AppEnv>) => ({ tz: readerTimeZone(c), now: Date.now() });

const idParam = (c: Context<AppEnv>) => parseId(c.req.param("id"));

// --- Writing comments ---------------------------------------------------------------------------

commentRoutes.post("/post/:id/comments", requirePermission(Permission.COMMENT), async (c) => {
  const postId = idParam(c);
  if (postId === null || !(await postExists(db(c), postId))) return errorResponse(c, 404, "That post does not exist.");
  const raw = await readForm(c);
  const form = validate(commentSchema, raw);
  const refuse = (status: 422 | 429, error: string) => {
    const formView = <v.CommentForm postId={postId} body={raw.body} error={error} onLastPage={raw.on_last_page === "1"} />;
    if (isPartial(c)) {
      // The form targets the list for appends; an error replaces the form instead.
      c.header("HX-Retarget", "#comment-form");
      c.header("HX-Reswap", "outerHTML");
    }
    return renderPage(c, { title: "Add a comment", status, fragment: formView }, <v.CommentErrorPage postId={postId} form={formView} />);
  };
  if (!form.ok) return refuse(422, form.errors.body!);
  if ((await takeSlot(c, rules.comment)) !== null) return refuse(429, rules.comment.message);
  const id = await service.addComment(db(c), postId, c.get("user")!.id, form.data.body);
  if (isPartial(c) && raw.on_last_page === "1") {
    // Viewing the last page already: append the new comment in place and reset the form.
    const comment = (await getComment(db(c), id))!;
    return c.html(
      <>
        <v.CommentEntry comment={comment} {...show(c)} canDelete={true} />
        <v.CommentForm postId={postId} onLastPage={true} oob={true} />
      </>,
    );
  }
  await flash(c, "Your comment has been published.", "success");
  return redirect(c, `/post/${postId}?page=-1#comment-${id}`);
});

// --- Moderation ---------------------------------------------------------------------------------

commentRoutes.get("/moderate", requirePermission(Permission.MODERATE), async (c) => {
  const page = await listForModeration(db(c), parsePageRequest((n) => c.req.query(n)));
  const url = new URL(c.req.url);
  return renderPage(c, { title: "Moderate comments" }, <v.ModeratePage page={page} next={url.pathname + url.search} {...show(c)} />);
});

function moderate(disabled: boolean) {
  return async (c: Context<AppEnv>) => {
    const id = idParam(c);
    if (id === null || !(await service.setDisabled(db(c), id, disabled))) return errorResponse(c, 404, "That comment does not exist.");
    if (isPartial(c)) {
      const comment = (await getComment(db(c), id))!;
      const next = safeNextPath((await readForm(c)).next) ?? "/moderate";
      return c.html(<v.ModerationEntry comment={comment} next={next} {...show(c)} />);
    }
    const next = safeNextPath((await readForm(c)).next);
    await flash(c, disabled ? "The comment has been disabled." : "The comment has been enabled.", "success");
    return redirect(c, next?.startsWith("/moderate") ? next : "/moderate");
  };
}

const postOnly = (c: Context<AppEnv>) => {
  c.header("Allow", "POST");
  return errorResponse(c, 405, "Use the buttons on the moderation page.");
};
commentRoutes.post("/moderate/enable/:id", requirePermission(Permission.MODERATE), moderate(false));
commentRoutes.post("/moderate/disable/:id", requirePermission(Permission.MODERATE), moderate(true));
commentRoutes.get("/moderate/enable/:id", postOnly);
commentRoutes.get("/moderate/disable/:id", postOnly);

// --- Deleting comments --------------------------------------------------------------------------

/** The comment named in the URL if the viewer may delete it; otherwise the 404/403 response. */
async function deletableComment(c: Context<AppEnv>) {
  const id = idParam(c);
  const comment = id === null ? undefined : await getComment(db(c), id);
  if (!comment) return { error: await errorResponse(c, 404, "That comment does not exist.") };
  if (!service.canDeleteComment(c.get("user"), comment)) return { error: await errorResponse(c, 403, "You do not have permission to do that.") };
  return { comment };
}

commentRoutes.get("/comment/:id/delete", requireLogin, async (c) => {
  const { comment, error } = await deletableComment(c);
  if (error) return error;
  const showText = !comment.disabled || service.canModerate(c.get("user"));
  return renderPage(c, { title: "Delete comment" }, <v.DeleteCommentPage comment={comment} showText={showText} {...show(c)} />);
});

commentRoutes.post("/comment/:id/delete", requireLogin, async (c) => {
  const { comment, error } = await deletableComment(c);
  if (error) return error;
  await service.deleteComment(db(c), comment.id);
  await flash(c, "The comment has been deleted.", "success");
  return redirect(c, `/post/${comment.postId}#comments`);
});
