CREATE TABLE `site_report_mails` (
	`site_id` integer NOT NULL,
	`kind` text NOT NULL,
	`period` text NOT NULL,
	`outbox_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `kind`, `period`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `sites` ADD `report_weekly` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `report_monthly` integer DEFAULT false NOT NULL;