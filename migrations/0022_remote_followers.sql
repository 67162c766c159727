CREATE TABLE `dead_inboxes` (
	`inbox` text PRIMARY KEY NOT NULL,
	`since` integer NOT NULL,
	`last_error` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `remote_actors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uri` text NOT NULL,
	`inbox` text NOT NULL,
	`shared_inbox` text,
	`handle` text NOT NULL,
	`name` text NOT NULL,
	`icon_url` text,
	`url` text,
	`host` text NOT NULL,
	`fetched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_actors_uri_unique` ON `remote_actors` (`uri`);--> statement-breakpoint
CREATE INDEX `remote_actors_host` ON `remote_actors` (`host`);--> statement-breakpoint
CREATE TABLE `remote_followers` (
	`user_id` integer NOT NULL,
	`remote_actor_id` integer NOT NULL,
	`follow_activity_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `remote_actor_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`remote_actor_id`) REFERENCES `remote_actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `remote_followers_actor` ON `remote_followers` (`remote_actor_id`);