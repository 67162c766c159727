-- Search (issue 12): the vocabulary of each FTS5 index (fts5vocab, 'row': one row per distinct term), so a
-- search can list the terms that start with the word being typed and look for those exact terms (an OR that
-- FTS5 reads lazily, newest first) instead of an FTS5 prefix query, whose terms' doclists FTS5 merges in full
-- on every search (features/search/queries.ts matchSql). Read-only views of the indexes: nothing to fill or
-- keep in step, and creating them costs nothing whatever the size of the tables.
CREATE VIRTUAL TABLE `posts_fts_vocab` USING fts5vocab(posts_fts, row);
--> statement-breakpoint
CREATE VIRTUAL TABLE `users_fts_vocab` USING fts5vocab(users_fts, row);
