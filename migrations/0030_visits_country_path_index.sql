DROP INDEX `visits_site_country_ts`;--> statement-breakpoint
CREATE INDEX `visits_site_country_ts_id_path` ON `visits` (`site_id`,`country`,`ts`,`id`,`path`);