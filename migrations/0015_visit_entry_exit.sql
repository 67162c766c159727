ALTER TABLE `visitor_days` ADD `pageviews` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `visitor_days` ADD `exit_path` text;--> statement-breakpoint
ALTER TABLE `visitor_days` ADD `exit_ts` integer;