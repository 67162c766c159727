CREATE TABLE `remote_blocks` (
	`user_id` integer NOT NULL,
	`remote_actor_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `remote_actor_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `remote_blocks_actor` ON `remote_blocks` (`remote_actor_id`);--> statement-breakpoint
-- Hand-written rebuild (drizzle-kit's copies columns that did not exist yet and drops the tables in an order
-- that D1, whose foreign keys stay on whatever the PRAGMA says, would cascade through): notifications.actor_id
-- becomes nullable beside the new remote_actor_id and url, and notification_actors likewise. The actors are
-- kept aside in a table without keys, notification_actors goes first (so dropping the old notifications
-- cascades to nothing), the new notifications takes the old ids, then notification_actors is made again.
CREATE TABLE `__keep_notification_actors` AS SELECT `notification_id`, `actor_id` FROM `notification_actors`;--> statement-breakpoint
DROP TABLE `notification_actors`;--> statement-breakpoint
CREATE TABLE `__new_notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`subject_id` integer DEFAULT 0 NOT NULL,
	`actor_id` integer,
	`post_id` integer,
	`comment_id` integer,
	`created_at` integer NOT NULL,
	`read_at` integer,
	`remote_actor_id` integer,
	`url` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "notifications_one_actor" CHECK((actor_id IS NULL) != (remote_actor_id IS NULL))
);
--> statement-breakpoint
INSERT INTO `__new_notifications`("id", "user_id", "kind", "subject_id", "actor_id", "post_id", "comment_id", "created_at", "read_at") SELECT "id", "user_id", "kind", "subject_id", "actor_id", "post_id", "comment_id", "created_at", "read_at" FROM `notifications`;--> statement-breakpoint
DROP TABLE `notifications`;--> statement-breakpoint
ALTER TABLE `__new_notifications` RENAME TO `notifications`;--> statement-breakpoint
CREATE TABLE `notification_actors` (
	`notification_id` integer NOT NULL,
	`actor_id` integer,
	`remote_actor_id` integer,
	FOREIGN KEY (`notification_id`) REFERENCES `notifications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "notification_actors_one_actor" CHECK((actor_id IS NULL) != (remote_actor_id IS NULL))
);
--> statement-breakpoint
INSERT INTO `notification_actors` (`notification_id`, `actor_id`) SELECT `notification_id`, `actor_id` FROM `__keep_notification_actors`;--> statement-breakpoint
DROP TABLE `__keep_notification_actors`;--> statement-breakpoint
CREATE UNIQUE INDEX `notification_actors_member` ON `notification_actors` (`notification_id`,`actor_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `notification_actors_remote` ON `notification_actors` (`notification_id`,`remote_actor_id`);--> statement-breakpoint
CREATE INDEX `notification_actors_actor` ON `notification_actors` (`actor_id`);--> statement-breakpoint
CREATE INDEX `notification_actors_remote_actor` ON `notification_actors` (`remote_actor_id`) WHERE remote_actor_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_user_created` ON `notifications` (`user_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_unread_group` ON `notifications` (`user_id`,`kind`,`subject_id`) WHERE read_at IS NULL;--> statement-breakpoint
CREATE INDEX `notifications_unread` ON `notifications` (`user_id`) WHERE read_at IS NULL;--> statement-breakpoint
CREATE INDEX `notifications_actor` ON `notifications` (`actor_id`);--> statement-breakpoint
CREATE INDEX `notifications_post` ON `notifications` (`post_id`) WHERE post_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_comment` ON `notifications` (`comment_id`) WHERE comment_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_remote_actor` ON `notifications` (`remote_actor_id`) WHERE remote_actor_id IS NOT NULL;--> statement-breakpoint
-- Hand-written: the triggers of 0010 went with the old table; made again for either kind of actor (a member
-- or a remote actor), once each per group ("alice and 3 others" counts people, not events).
CREATE TRIGGER `notification_actors_on_insert` AFTER INSERT ON `notifications`
BEGIN
	INSERT INTO `notification_actors` (`notification_id`, `actor_id`, `remote_actor_id`) SELECT NEW.id, NEW.actor_id, NEW.remote_actor_id
	WHERE NOT EXISTS (SELECT 1 FROM `notification_actors` WHERE `notification_id` = NEW.id AND `actor_id` IS NEW.actor_id AND `remote_actor_id` IS NEW.remote_actor_id);
END;--> statement-breakpoint
CREATE TRIGGER `notification_actors_on_bump` AFTER UPDATE OF `actor_id`, `remote_actor_id`, `created_at` ON `notifications`
BEGIN
	INSERT INTO `notification_actors` (`notification_id`, `actor_id`, `remote_actor_id`) SELECT NEW.id, NEW.actor_id, NEW.remote_actor_id
	WHERE NOT EXISTS (SELECT 1 FROM `notification_actors` WHERE `notification_id` = NEW.id AND `actor_id` IS NEW.actor_id AND `remote_actor_id` IS NEW.remote_actor_id);
END;
