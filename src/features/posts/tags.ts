// A post's #hashtags in post_tags (db/schema.ts), written in the same batch as the post itself so the
// /tags/<tag> page never disagrees with the post. Deleting a post deletes its rows (foreign key cascade).
// Query builders, not db.run(sql): Drizzle's D1 batch takes only builders.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { postTags } from "../../db/schema";

/**
 * Inserts `tags` for the author's newest post: inside the create batch that is the post just inserted
 * (ids only grow: AUTOINCREMENT). The tags travel as one JSON parameter (D1 allows 100 per statement).
 * Columns in table order: post_id, tag, created_at.
 */
export function tagsOfNewPostStatement(db: Db, authorId: number, tags: string[]) {
  return db
    .insert(postTags)
    .select(
      sql`SELECT p.id, t.value, p.created_at FROM (SELECT id, created_at FROM posts WHERE author_id = ${authorId} ORDER BY id DESC LIMIT 1) p, json_each(${JSON.stringify(tags)}) t`,
    );
}

/** Deletes a post's tags, returning them (the edit and delete batches announce them). */
export const deleteTagsStatement = (db: Db, postId: number) => db.delete(postTags).where(eq(postTags.postId, postId)).returning({ tag: postTags.tag });

/** Replaces a post's tags with `tags` (two statements, for the edit batch; the first returns the old tags). */
export function replaceTagsStatements(db: Db, postId: number, tags: string[]) {
  return [
    deleteTagsStatement(db, postId),
    db.insert(postTags).select(sql`SELECT p.id, t.value, p.created_at FROM posts p, json_each(${JSON.stringify(tags)}) t WHERE p.id = ${postId}`),
  ] as const;
}
