CREATE TABLE `blocked_servers` (
	`host` text PRIMARY KEY NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `gone_actors` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`deleted_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `known_servers` (
	`host` text PRIMARY KEY NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`activities` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `known_servers_last_seen` ON `known_servers` (`last_seen`);--> statement-breakpoint
ALTER TABLE `users` ADD `left_fediverse_at` integer;