// /comments/ and /posts/{id}/comments/: read comments, write one (within the web's per-user comment
// limit). A disabled comment is listed (so counts and pages stay honest) but its text is never sent:
// the SQL returns NULL for it.
import { eventContextOf } from "../../../events/request";
import { abuseRules } from "../../../lib/abuse";
import { addComment, COMMENT_BLOCKED, getPublicComment, listPublicComments } from "../../comments";
import { listCommentsOfPost, postExists } from "../../posts";
import { abuseSlot, linksOf } from "../context";
import { created, creates, endpoint, listEndpoint } from "../endpoint";
import { ApiError, NO_POST } from "../errors";
import { examples } from "../examples";
import { CommentBody, CommentInput, CommentList } from "../schemas";
import { commentJson } from "../serializers";
import { everyoneListEndpoint, ownedList } from "./owned-list";

export const commentEndpoints = [
  everyoneListEndpoint("comments", CommentList, listPublicComments, commentJson, {
    description: "30 per page. `count` is null: counting every comment would read the whole table on each request.",
  }),
  endpoint("GET", "/comments/{id}", "getComment", "Comments", {
    summary: "One comment",
    responses: { 200: { description: "The comment.", schema: CommentBody, example: (l) => examples(l).comment } },
    handler: async (c, { id }) => {
      const comment = await getPublicComment(c.get("db"), id);
      if (!comment) throw new ApiError(404, "There is no comment with that id.");
      return c.json(commentJson(linksOf(c), comment));
    },
  }),
  listEndpoint("/posts/{id}/comments/", "listPostComments", "Comments", {
    summary: "A post's comments, newest first",
    description: "30 per page. `count` is the post's number of comments, disabled ones included.",
    list: { description: "A page of the post's comments.", schema: CommentList, example: (l) => examples(l).commentList },
    handler: ownedList({ key: "comments", missing: NO_POST, load: listCommentsOfPost, url: (l, id) => l.postComments(id), json: commentJson }),
  }),
  endpoint("POST", "/posts/{id}/comments/", "createComment", "Comments", {
    summary: "Comment on a post",
    description: "403 also when you may not comment on this member's posts (the same words whatever the reason).",
    permission: "COMMENT",
    ...creates("comment", { body: CommentInput, bodyExample: (l) => examples(l).commentInput, schema: CommentBody, example: (l) => examples(l).comment }),
    handler: async (c, { user, id, body }) => {
      const db = c.get("db");
      if (!(await postExists(db, id))) throw new ApiError(404, NO_POST);
      await abuseSlot(c, abuseRules.comment, user.id);
      // Null: deleted between the check and the insert.
      const added = await addComment(eventContextOf(c), id, user.id, body.body);
      if (!added.ok) throw added.reason === "no-post" ? new ApiError(404, NO_POST) : new ApiError(403, COMMENT_BLOCKED);
      return created(c, commentJson(linksOf(c), (await getPublicComment(db, added.id))!));
    },
  }),
];
