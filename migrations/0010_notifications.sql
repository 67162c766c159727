CREATE TABLE `notification_actors` (
	`notification_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	PRIMARY KEY(`notification_id`, `actor_id`),
	FOREIGN KEY (`notification_id`) REFERENCES `notifications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notification_actors_actor` ON `notification_actors` (`actor_id`);--> statement-breakpoint
CREATE TABLE `notification_settings` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`mail_kinds` integer DEFAULT 0 NOT NULL,
	`digest_through` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`subject_id` integer DEFAULT 0 NOT NULL,
	`actor_id` integer NOT NULL,
	`post_id` integer,
	`comment_id` integer,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_user_created` ON `notifications` (`user_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_unread_group` ON `notifications` (`user_id`,`kind`,`subject_id`) WHERE read_at IS NULL;--> statement-breakpoint
CREATE INDEX `notifications_actor` ON `notifications` (`actor_id`);--> statement-breakpoint
CREATE INDEX `notifications_post` ON `notifications` (`post_id`) WHERE post_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_comment` ON `notifications` (`comment_id`) WHERE comment_id IS NOT NULL;--> statement-breakpoint
-- Hand-written: every actor of a notification's group is recorded by these triggers, so a subscriber only
-- writes (or bumps) the notification row itself and "alice and 3 others" counts people, not events.
-- (Not INSERT OR IGNORE: inside a trigger the outer upsert's conflict handling would override it.)
CREATE TRIGGER `notification_actors_on_insert` AFTER INSERT ON `notifications`
BEGIN
	INSERT INTO `notification_actors` (`notification_id`, `actor_id`) SELECT NEW.id, NEW.actor_id
	WHERE NOT EXISTS (SELECT 1 FROM `notification_actors` WHERE `notification_id` = NEW.id AND `actor_id` = NEW.actor_id);
END;--> statement-breakpoint
CREATE TRIGGER `notification_actors_on_bump` AFTER UPDATE OF `actor_id`, `created_at` ON `notifications`
BEGIN
	INSERT INTO `notification_actors` (`notification_id`, `actor_id`) SELECT NEW.id, NEW.actor_id
	WHERE NOT EXISTS (SELECT 1 FROM `notification_actors` WHERE `notification_id` = NEW.id AND `actor_id` = NEW.actor_id);
END;
