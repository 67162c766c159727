CREATE TABLE `sites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`base_url` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sites_user_base_url` ON `sites` (`user_id`,`base_url`);--> statement-breakpoint
CREATE TABLE `visit_dims` (
	`site_id` integer NOT NULL,
	`dim` text NOT NULL,
	`day` integer NOT NULL,
	`value` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`site_id`, `dim`, `day`, `value`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `visit_hourly` (
	`site_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`pageviews` integer DEFAULT 0 NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `hour`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `visit_salts` (
	`day` integer PRIMARY KEY NOT NULL,
	`salt` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `visit_staging` (
	`uid` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`ts` integer NOT NULL,
	`path` text NOT NULL,
	`referrer_host` text,
	`event` text NOT NULL,
	`browser` text NOT NULL,
	`os` text NOT NULL,
	`device` text NOT NULL,
	`country` text,
	`region` text,
	`city` text,
	`latitude` real,
	`longitude` real,
	`visitor` text NOT NULL,
	`new_visitor` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `visitor_days` (
	`site_id` integer NOT NULL,
	`day` integer NOT NULL,
	`visitor` text NOT NULL,
	PRIMARY KEY(`site_id`, `day`, `visitor`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `visits` (
	`id` integer PRIMARY KEY NOT NULL,
	`uid` text NOT NULL,
	`site_id` integer NOT NULL,
	`ts` integer NOT NULL,
	`path` text NOT NULL,
	`referrer_host` text,
	`event` text NOT NULL,
	`browser` text NOT NULL,
	`os` text NOT NULL,
	`device` text NOT NULL,
	`country` text,
	`region` text,
	`city` text,
	`latitude` real,
	`longitude` real,
	`visitor` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `visits_uid` ON `visits` (`uid`);--> statement-breakpoint
CREATE INDEX `visits_site_ts` ON `visits` (`site_id`,`ts`);