// Front door of the comments feature: its routes (writing, moderation), and what the post page and the
// API use: the comments of a post, the comment count, the rules and the section's view.

export {
  commentCountSql,
  commentsOfAuthorQuery,
  getPublicComment,
  listPostComments,
  listPostPublicComments,
  listPublicComments,
  type PublicComment,
} from "./queries";
export { commentRoutes } from "./routes";
export {
  type AddCommentResult,
  addComment,
  addRemoteComment,
  COMMENT_BLOCKED,
  canComment,
  canDeleteComment,
  deleteRemoteComments,
  type RemoteReply,
  updateRemoteComment,
} from "./service";
export { CommentCountLink, CommentsSection } from "./views";
