CREATE TABLE `site_shares` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`label` text NOT NULL,
	`password_hash` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `site_shares_token_hash` ON `site_shares` (`token_hash`);--> statement-breakpoint
CREATE INDEX `site_shares_site` ON `site_shares` (`site_id`);--> statement-breakpoint
ALTER TABLE `sites` ADD `is_public` integer DEFAULT false NOT NULL;