CREATE TABLE `remote_post_likes` (
	`user_id` integer NOT NULL,
	`remote_post_id` integer NOT NULL,
	`activity_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `remote_post_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_post_id`) REFERENCES `remote_posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_post_likes_activity_id_unique` ON `remote_post_likes` (`activity_id`);--> statement-breakpoint
CREATE INDEX `remote_post_likes_post` ON `remote_post_likes` (`remote_post_id`);--> statement-breakpoint
CREATE TABLE `remote_replies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`remote_post_id` integer NOT NULL,
	`body` text NOT NULL,
	`body_html` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_post_id`) REFERENCES `remote_posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `remote_replies_post_user` ON `remote_replies` (`remote_post_id`,`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `remote_replies_user` ON `remote_replies` (`user_id`);