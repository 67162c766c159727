// Front door of the posts feature: its routes, and what profiles and the API use.
export { postRoutes } from "./routes";
export { listPosts, listPostsSql, POSTS_PER_PAGE, postExists, type PostListItem, type PostScope } from "./queries";
// For the users feature (a user's posts and timeline, a user's post count) and the JSON API:
export {
  getPostWithSource,
  listAllPostsWithSource,
  listAuthorPostsWithSource,
  listCommentsOfPost,
  listFollowedPostsWithSource,
  postCountSql,
  postsOfAuthorQuery,
  type PostWithSource,
} from "./queries";
export { canDeletePost, canEditPost, createPost, deletePost, getPost, updatePost } from "./service";
export { PostItem, PostItems, PostList } from "./post-list";
