CREATE TABLE `goal_daily` (
	`goal_id` integer NOT NULL,
	`day` integer NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`goal_id`, `day`),
	FOREIGN KEY (`goal_id`) REFERENCES `site_goals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `goal_hourly` (
	`goal_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`first_visitors` integer DEFAULT 0 NOT NULL,
	`last_visitors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`goal_id`, `hour`),
	FOREIGN KEY (`goal_id`) REFERENCES `site_goals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `goal_staging` (
	`goal_id` integer NOT NULL,
	`day` integer NOT NULL,
	`visitor` text NOT NULL,
	`first_ts` integer NOT NULL,
	`last_ts` integer NOT NULL,
	`old_first` integer,
	`old_last` integer,
	PRIMARY KEY(`goal_id`, `day`, `visitor`)
);
--> statement-breakpoint
CREATE TABLE `goal_visitor_days` (
	`goal_id` integer NOT NULL,
	`day` integer NOT NULL,
	`visitor` text NOT NULL,
	`first_ts` integer NOT NULL,
	`last_ts` integer NOT NULL,
	PRIMARY KEY(`goal_id`, `day`, `visitor`),
	FOREIGN KEY (`goal_id`) REFERENCES `site_goals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `goal_visitor_days_day` ON `goal_visitor_days` (`day`);--> statement-breakpoint
ALTER TABLE `site_goals` ADD `rollup_from` integer;--> statement-breakpoint
-- Hand-written: the goals defined before this migration get their rollups from every stored visit, by the
-- statements a new goal runs (src/features/sites/goal-rollup.ts, goalBackfillSql() with sites "true", since 0 and
-- the visitor-days the clean-up keeps); later visits are counted by the consumer.
INSERT INTO goal_hourly (goal_id, hour, conversions) SELECT g.id, s.ts - s.ts % 900000, count(*) FROM visits s JOIN site_goals g ON g.site_id = s.site_id AND g.rollup_from IS NULL AND CASE WHEN s.event = 'pageview' THEN g.kind = 'page' AND s.path GLOB g.value ELSE g.kind = 'event' AND s.event = g.value END WHERE true AND s.ts >= 0 GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO goal_daily (goal_id, day, conversions, visitors)
    SELECT g.id, s.ts - s.ts % 86400000, count(*), count(DISTINCT s.visitor) FROM visits s JOIN site_goals g ON g.site_id = s.site_id AND g.rollup_from IS NULL AND CASE WHEN s.event = 'pageview' THEN g.kind = 'page' AND s.path GLOB g.value ELSE g.kind = 'event' AND s.event = g.value END WHERE true AND s.ts >= 0 GROUP BY 1, 2;
--> statement-breakpoint
WITH d AS MATERIALIZED (SELECT g.id AS goal_id, min(s.ts) AS f, max(s.ts) AS l FROM visits s JOIN site_goals g ON g.site_id = s.site_id AND g.rollup_from IS NULL AND CASE WHEN s.event = 'pageview' THEN g.kind = 'page' AND s.path GLOB g.value ELSE g.kind = 'event' AND s.event = g.value END WHERE true AND s.ts >= 0 GROUP BY g.id, s.ts - s.ts % 86400000, s.visitor)
    INSERT INTO goal_hourly (goal_id, hour, first_visitors, last_visitors)
    SELECT goal_id, hour, sum(fv), sum(lv) FROM (
      SELECT goal_id, f - f % 900000 AS hour, 1 AS fv, 0 AS lv FROM d UNION ALL SELECT goal_id, l - l % 900000, 0, 1 FROM d
    ) WHERE true GROUP BY 1, 2 ON CONFLICT (goal_id, hour) DO UPDATE SET first_visitors = first_visitors + excluded.first_visitors, last_visitors = last_visitors + excluded.last_visitors;
--> statement-breakpoint
INSERT INTO goal_visitor_days (goal_id, day, visitor, first_ts, last_ts)
    SELECT g.id, s.ts - s.ts % 86400000, s.visitor, min(s.ts), max(s.ts) FROM visits s JOIN site_goals g ON g.site_id = s.site_id AND g.rollup_from IS NULL AND CASE WHEN s.event = 'pageview' THEN g.kind = 'page' AND s.path GLOB g.value ELSE g.kind = 'event' AND s.event = g.value END WHERE true AND s.ts >= 0 AND s.ts >= (unixepoch() * 1000 - unixepoch() * 1000 % 86400000 - 2 * 86400000) GROUP BY 1, 2, 3;
--> statement-breakpoint
UPDATE site_goals AS s SET rollup_from = 0 WHERE true AND s.rollup_from IS NULL;
