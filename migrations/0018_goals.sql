CREATE TABLE `site_funnels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`name` text NOT NULL,
	`steps` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `site_funnels_site_name` ON `site_funnels` (`site_id`,`name`);--> statement-breakpoint
CREATE TABLE `site_goals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `site_goals_site_kind_value` ON `site_goals` (`site_id`,`kind`,`value`);--> statement-breakpoint
ALTER TABLE `visit_staging` ADD `props` text;--> statement-breakpoint
ALTER TABLE `visits` ADD `props` text;