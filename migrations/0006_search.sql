-- Full-text search (issue 12): FTS5 indexes over posts (their Markdown source) and people (username,
-- name, location, about me). Both are external-content tables: the text lives once, in posts and users;
-- the index holds only tokens. Triggers keep each index in step inside the same write (any INSERT, UPDATE
-- or DELETE, including the cascade when a user is deleted), and 'rebuild' indexes the rows that exist.
-- unicode61 with remove_diacritics 2: "cafe" finds "café"; matching is case-insensitive.
CREATE VIRTUAL TABLE `posts_fts` USING fts5(body, content='posts', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `posts_fts_insert` AFTER INSERT ON `posts` BEGIN
  INSERT INTO posts_fts (rowid, body) VALUES (new.id, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_delete` AFTER DELETE ON `posts` BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_update` AFTER UPDATE OF body ON `posts` BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO posts_fts (rowid, body) VALUES (new.id, new.body);
END;
--> statement-breakpoint
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');
--> statement-breakpoint
CREATE VIRTUAL TABLE `users_fts` USING fts5(username, name, location, about_me, content='users', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `users_fts_insert` AFTER INSERT ON `users` BEGIN
  INSERT INTO users_fts (rowid, username, name, location, about_me) VALUES (new.id, new.username, new.name, new.location, new.about_me);
END;
--> statement-breakpoint
CREATE TRIGGER `users_fts_delete` AFTER DELETE ON `users` BEGIN
  INSERT INTO users_fts (users_fts, rowid, username, name, location, about_me) VALUES ('delete', old.id, old.username, old.name, old.location, old.about_me);
END;
--> statement-breakpoint
CREATE TRIGGER `users_fts_update` AFTER UPDATE OF username, name, location, about_me ON `users` BEGIN
  INSERT INTO users_fts (users_fts, rowid, username, name, location, about_me) VALUES ('delete', old.id, old.username, old.name, old.location, old.about_me);
  INSERT INTO users_fts (rowid, username, name, location, about_me) VALUES (new.id, new.username, new.name, new.location, new.about_me);
END;
--> statement-breakpoint
INSERT INTO users_fts (users_fts) VALUES ('rebuild');
