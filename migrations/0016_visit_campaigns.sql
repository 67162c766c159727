ALTER TABLE `visit_staging` ADD `utm_source` text;--> statement-breakpoint
ALTER TABLE `visit_staging` ADD `utm_medium` text;--> statement-breakpoint
ALTER TABLE `visit_staging` ADD `utm_campaign` text;--> statement-breakpoint
ALTER TABLE `visit_staging` ADD `utm_term` text;--> statement-breakpoint
ALTER TABLE `visit_staging` ADD `utm_content` text;--> statement-breakpoint
ALTER TABLE `visits` ADD `utm_source` text;--> statement-breakpoint
ALTER TABLE `visits` ADD `utm_medium` text;--> statement-breakpoint
ALTER TABLE `visits` ADD `utm_campaign` text;--> statement-breakpoint
ALTER TABLE `visits` ADD `utm_term` text;--> statement-breakpoint
ALTER TABLE `visits` ADD `utm_content` text;