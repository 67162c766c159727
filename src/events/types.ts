// The domain events: what happened, named in the past tense, with the ids a subscriber needs to look up the
// rest. Features announce them when they commit a change (events/commit.ts); subscribers react to them.
export type DomainEvent =
  // The new user's id is assigned inside the batch that announces this, so the event carries the address.
  // locale: the account's language setting (users.locale, null for automatic), for the mail it causes.
  | { type: "user.registered"; email: string; username: string; confirmToken: string }
  | { type: "user.confirmation_requested"; userId: number; email: string; username: string; locale: string | null; confirmToken: string }
  | { type: "user.password_reset_requested"; userId: number; email: string; username: string; locale: string | null; resetToken: string }
  | { type: "user.email_change_requested"; userId: number; newEmail: string; username: string; locale: string | null; changeToken: string }
  | { type: "user.deleted"; userId: number }
  | { type: "user.followed"; followerId: number; followedId: number }
  | { type: "user.unfollowed"; followerId: number; followedId: number }
  /** Committed with the block: the follows both ways between the two are gone in the same batch (features/blocks). */
  | { type: "user.blocked"; blockerId: number; blockedId: number }
  | { type: "user.unblocked"; blockerId: number; blockedId: number }
  /** The member edited their own profile (name, location, about me). */
  | { type: "user.profile_updated"; userId: number }
  /** The member left the fediverse (`left`) or rejoined it (features/federation, issue 13). */
  | { type: "user.fediverse_changed"; userId: number; left: boolean }
  /** `mentions`: the usernames the post's text @mentions (as written; members or not). */
  // `tags`: every #hashtag whose /tags/ page shows a change (an edit's old and new tags).
  | { type: "post.created"; postId: number; authorId: number; mentions: string[]; tags: string[] }
  | { type: "post.updated"; postId: number; authorId: number; mentions: string[]; tags: string[] }
  | { type: "post.deleted"; postId: number; authorId: number; tags: string[] }
  /** Announced only when a like was really added (liking again changes nothing and announces nothing). */
  | { type: "post.liked"; postId: number; userId: number }
  /** `authorId` null: a reply from another server (features/federation), written by a remote actor. */
  | { type: "comment.created"; commentId: number; postId: number; authorId: number | null }
  | { type: "comment.moderated"; commentId: number; disabled: boolean; moderatorId: number }
  | { type: "comment.deleted"; commentId: number; postId: number }
  // From other servers (features/federation, issue 13), announced only when something new was stored:
  /** A remote actor (remote_actors id) began following a member. */
  | { type: "remote.followed"; userId: number; remoteActorId: number }
  /** A remote actor liked or boosted (Announce) one of our posts. */
  | { type: "remote.reacted"; postId: number; remoteActorId: number; kind: "like" | "announce" }
  /** A note by a remote actor that is not a reply to our posts tags these members; `url`: the note's page. */
  | { type: "remote.mentioned"; userIds: number[]; remoteActorId: number; url: string }
  /** A member blocked a remote actor (their follow of the member already ended in the same write). */
  | { type: "remote.blocked"; userId: number; remoteActorId: number }
  | { type: "remote.unblocked"; userId: number; remoteActorId: number };

export type EventType = DomainEvent["type"];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;
