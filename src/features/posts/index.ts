// Front door of the posts feature: its routes, and what profiles and the API use.

export { LIKE_BLOCKED, type LikeState, setLike } from "./likes";
export { LoadMoreFragment, PostItem, PostItems, PostList } from "./post-list";
// For the users feature (a user's posts and timeline, a user's post count) and the JSON API:
export {
  authorPostCount,
  type FeedPost,
  getFeedPost,
  getPostWithSource,
  listAllPostsWithSource,
  listAuthorPostsWithSource,
  listCommentsOfPost,
  listFeedPosts,
  listFollowedPostsWithSource,
  listPosts,
  listPostsSql,
  POSTS_PER_PAGE,
  type PostListItem,
  type PostScope,
  type PostWithSource,
  postCountSql,
  postExists,
  postsOfAuthorQuery,
} from "./queries";
export { postRoutes } from "./routes";
export { canDeletePost, canEditPost, createPost, deletePost, getPost, updatePost } from "./service";
