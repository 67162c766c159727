CREATE TABLE `remote_follows` (
	`user_id` integer NOT NULL,
	`remote_actor_id` integer NOT NULL,
	`follow_activity_id` text NOT NULL,
	`accepted_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `remote_actor_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_follows_follow_activity_id_unique` ON `remote_follows` (`follow_activity_id`);--> statement-breakpoint
CREATE INDEX `remote_follows_actor` ON `remote_follows` (`remote_actor_id`);--> statement-breakpoint
CREATE TABLE `remote_posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uri` text NOT NULL,
	`remote_actor_id` integer NOT NULL,
	`content_html` text NOT NULL,
	`url` text,
	`published_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_posts_uri_unique` ON `remote_posts` (`uri`);--> statement-breakpoint
CREATE INDEX `remote_posts_actor_published` ON `remote_posts` (`remote_actor_id`,`published_at`,`id`);