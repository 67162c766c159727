CREATE TABLE `remote_reactions` (
	`post_id` integer NOT NULL,
	`remote_actor_id` integer NOT NULL,
	`kind` text NOT NULL,
	`activity_uri` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`post_id`, `remote_actor_id`, `kind`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `remote_reactions_actor` ON `remote_reactions` (`remote_actor_id`);--> statement-breakpoint
CREATE INDEX `remote_reactions_activity` ON `remote_reactions` (`activity_uri`);--> statement-breakpoint
-- Hand-written: comments.author_id becomes nullable (a reply from another server has a remote author), which
-- SQLite can only do by rebuilding the table. D1 keeps foreign keys on whatever the PRAGMA says, so dropping
-- the old table cascades to the notifications that link a comment (kind "moderated"): they are kept aside and
-- put back (with their actors) once the new table has the same ids.
CREATE TABLE `__keep_notifications` AS SELECT * FROM `notifications` WHERE `comment_id` IS NOT NULL;--> statement-breakpoint
CREATE TABLE `__keep_notification_actors` AS SELECT * FROM `notification_actors` WHERE `notification_id` IN (SELECT `id` FROM `__keep_notifications`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`post_id` integer NOT NULL,
	`author_id` integer,
	`body` text NOT NULL,
	`body_html` text NOT NULL,
	`created_at` integer NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`remote_actor_id` integer,
	`note_uri` text,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "comments_one_author" CHECK((author_id IS NULL) != (remote_actor_id IS NULL))
);
--> statement-breakpoint
INSERT INTO `__new_comments`("id", "post_id", "author_id", "body", "body_html", "created_at", "disabled") SELECT "id", "post_id", "author_id", "body", "body_html", "created_at", "disabled" FROM `comments`;--> statement-breakpoint
DROP TABLE `comments`;--> statement-breakpoint
ALTER TABLE `__new_comments` RENAME TO `comments`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
INSERT OR IGNORE INTO `notifications` SELECT * FROM `__keep_notifications`;--> statement-breakpoint
INSERT OR IGNORE INTO `notification_actors` SELECT * FROM `__keep_notification_actors`;--> statement-breakpoint
DROP TABLE `__keep_notifications`;--> statement-breakpoint
DROP TABLE `__keep_notification_actors`;--> statement-breakpoint
CREATE UNIQUE INDEX `comments_note_uri_unique` ON `comments` (`note_uri`);--> statement-breakpoint
CREATE INDEX `comments_post_created` ON `comments` (`post_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_created` ON `comments` (`created_at`);--> statement-breakpoint
CREATE INDEX `comments_author` ON `comments` (`author_id`);--> statement-breakpoint
CREATE INDEX `comments_remote_actor` ON `comments` (`remote_actor_id`) WHERE remote_actor_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE `posts` ADD `boost_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written: posts.like_count and posts.boost_count follow remote_reactions in the same statement (a Like,
-- an Undo, the cascade when a post or a remote actor goes), as like_count follows post_likes (0008).
CREATE TRIGGER `remote_reactions_count_insert` AFTER INSERT ON `remote_reactions` BEGIN
  UPDATE posts SET like_count = like_count + (new.kind = 'like'), boost_count = boost_count + (new.kind = 'announce') WHERE id = new.post_id;
END;
--> statement-breakpoint
CREATE TRIGGER `remote_reactions_count_delete` AFTER DELETE ON `remote_reactions` BEGIN
  UPDATE posts SET like_count = like_count - (old.kind = 'like'), boost_count = boost_count - (old.kind = 'announce') WHERE id = old.post_id;
END;
