CREATE TABLE `visit_hourly_by` (
	`site_id` integer NOT NULL,
	`fdim` text NOT NULL,
	`fvalue` text NOT NULL,
	`hour` integer NOT NULL,
	`pageviews` integer DEFAULT 0 NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `fdim`, `fvalue`, `hour`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `visit_pairs` (
	`site_id` integer NOT NULL,
	`fdim` text NOT NULL,
	`fvalue` text NOT NULL,
	`dim` text NOT NULL,
	`day` integer NOT NULL,
	`value` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`site_id`, `fdim`, `fvalue`, `dim`, `day`, `value`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `visits_site_country_ts` ON `visits` (`site_id`,`country`,`ts`);