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
CREATE INDEX `visits_site_country_ts` ON `visits` (`site_id`,`country`,`ts`);--> statement-breakpoint
--> statement-breakpoint
-- Hand-written: the segment rollups of the visits stored before this migration, by the rebuild's own statements
-- (src/features/sites/ingest.ts, segmentBackfillSql(): segmentRebuildSql("true") between staging the first hits
-- and emptying the staging table). Later visits are counted by the consumer.
DELETE FROM visit_staging;
--> statement-breakpoint
INSERT INTO visit_staging (uid, site_id, ts, path, referrer_host, event, browser, os, device, country, region, city, latitude, longitude, visitor, utm_source, utm_medium, utm_campaign, utm_term, utm_content, new_visitor)
  SELECT uid, site_id, ts, path, referrer_host, event, browser, os, device, country, region, city, latitude, longitude, visitor, utm_source, utm_medium, utm_campaign, utm_term, utm_content, 1 FROM (
  SELECT *, row_number() OVER (PARTITION BY site_id, (ts - ts % 86400000), visitor ORDER BY ts, uid) AS nth FROM visits WHERE true
  ) WHERE nth = 1;
--> statement-breakpoint
INSERT INTO visit_hourly_by (site_id, fdim, fvalue, hour, pageviews, visitors)
  SELECT s.site_id, g.value, CASE g.value WHEN 'country' THEN coalesce(s.country, '') WHEN 'browser' THEN s.browser WHEN 'os' THEN s.os WHEN 'device' THEN s.device END, s.ts - s.ts % 900000, sum(s.event = 'pageview'), 0
  FROM (SELECT * FROM visits WHERE true) s JOIN json_each('["country","browser","os","device"]') g WHERE true GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO visit_hourly_by (site_id, fdim, fvalue, hour, pageviews, visitors)
  SELECT s.site_id, g.value, CASE g.value WHEN 'country' THEN coalesce(s.country, '') WHEN 'browser' THEN s.browser WHEN 'os' THEN s.os WHEN 'device' THEN s.device END, s.ts - s.ts % 900000, 0, count(*)
  FROM (SELECT * FROM visit_staging WHERE true) s JOIN json_each('["country","browser","os","device"]') g WHERE true GROUP BY 1, 2, 3, 4 ON CONFLICT (site_id, fdim, fvalue, hour) DO UPDATE SET visitors = visitors + excluded.visitors;
--> statement-breakpoint
INSERT INTO visit_pairs (site_id, fdim, fvalue, dim, day, value, n)
  SELECT site_id, fdim, fvalue, dim, day, v, count(*) FROM (
  SELECT s.site_id, g.value AS fdim, CASE g.value WHEN 'country' THEN coalesce(s.country, '') WHEN 'browser' THEN s.browser WHEN 'os' THEN s.os WHEN 'device' THEN s.device END AS fvalue, d.value AS dim, (s.ts - s.ts % 86400000) AS day, CASE d.value WHEN 'page' THEN s.path WHEN 'event' THEN s.event END AS v
  FROM (SELECT * FROM visits WHERE true) s JOIN json_each('["country","browser","os","device"]') g JOIN json_each('["page","event"]') d
  WHERE true AND CASE d.value WHEN 'page' THEN s.event = 'pageview' WHEN 'event' THEN 1 END
  ) WHERE true GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (site_id, fdim, fvalue, dim, day, value) DO UPDATE SET n = n + excluded.n;
--> statement-breakpoint
INSERT INTO visit_pairs (site_id, fdim, fvalue, dim, day, value, n)
  SELECT site_id, fdim, fvalue, dim, day, v, count(*) FROM (
  SELECT s.site_id, g.value AS fdim, CASE g.value WHEN 'country' THEN coalesce(s.country, '') WHEN 'browser' THEN s.browser WHEN 'os' THEN s.os WHEN 'device' THEN s.device END AS fvalue, d.value AS dim, (s.ts - s.ts % 86400000) AS day, CASE d.value WHEN 'referrer' THEN s.referrer_host WHEN 'country' THEN coalesce(s.country, '') WHEN 'browser' THEN s.browser WHEN 'os' THEN s.os WHEN 'device' THEN s.device WHEN 'utm_source' THEN s.utm_source WHEN 'utm_medium' THEN s.utm_medium WHEN 'utm_campaign' THEN s.utm_campaign WHEN 'utm_term' THEN s.utm_term WHEN 'utm_content' THEN s.utm_content END AS v
  FROM (SELECT * FROM visit_staging WHERE true) s JOIN json_each('["country","browser","os","device"]') g JOIN json_each('["referrer","country","browser","os","device","utm_source","utm_medium","utm_campaign","utm_term","utm_content"]') d
  WHERE true AND CASE d.value WHEN 'referrer' THEN s.new_visitor = 1 AND s.referrer_host IS NOT NULL WHEN 'country' THEN s.new_visitor = 1 WHEN 'browser' THEN s.new_visitor = 1 WHEN 'os' THEN s.new_visitor = 1 WHEN 'device' THEN s.new_visitor = 1 WHEN 'utm_source' THEN s.new_visitor = 1 AND s.utm_source IS NOT NULL WHEN 'utm_medium' THEN s.new_visitor = 1 AND s.utm_medium IS NOT NULL WHEN 'utm_campaign' THEN s.new_visitor = 1 AND s.utm_campaign IS NOT NULL WHEN 'utm_term' THEN s.new_visitor = 1 AND s.utm_term IS NOT NULL WHEN 'utm_content' THEN s.new_visitor = 1 AND s.utm_content IS NOT NULL END
  ) WHERE true GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (site_id, fdim, fvalue, dim, day, value) DO UPDATE SET n = n + excluded.n;
--> statement-breakpoint
INSERT INTO visit_pairs (site_id, fdim, fvalue, dim, day, value, n) SELECT b.site_id, g.value, CASE g.value WHEN 'country' THEN coalesce(b.country, '') WHEN 'browser' THEN b.browser WHEN 'os' THEN b.os WHEN 'device' THEN b.device END, 'entry', b.day, b.first_path, count(*) FROM (SELECT site_id, day, visitor, count(*) AS pv,
  max(CASE WHEN k = 1 THEN path END) AS first_path, max(CASE WHEN k = n THEN path END) AS last_path, max(ts) AS last_ts,
  max(country) AS country, max(browser) AS browser, max(os) AS os, max(device) AS device
  FROM (SELECT site_id, ts - ts % 86400000 AS day, visitor, path, ts, country, browser, os, device,
  row_number() OVER (PARTITION BY site_id, ts - ts % 86400000, visitor ORDER BY ts, uid) AS k,
  count(*) OVER (PARTITION BY site_id, ts - ts % 86400000, visitor) AS n
  FROM visits WHERE event = 'pageview' AND true)
  GROUP BY site_id, day, visitor) b JOIN json_each('["country","browser","os","device"]') g WHERE true GROUP BY 1, 2, 3, 4, 5, 6 ON CONFLICT (site_id, fdim, fvalue, dim, day, value) DO UPDATE SET n = n + excluded.n;
--> statement-breakpoint
INSERT INTO visit_pairs (site_id, fdim, fvalue, dim, day, value, n) SELECT b.site_id, g.value, CASE g.value WHEN 'country' THEN coalesce(b.country, '') WHEN 'browser' THEN b.browser WHEN 'os' THEN b.os WHEN 'device' THEN b.device END, 'exit', b.day, b.last_path, count(*) FROM (SELECT site_id, day, visitor, count(*) AS pv,
  max(CASE WHEN k = 1 THEN path END) AS first_path, max(CASE WHEN k = n THEN path END) AS last_path, max(ts) AS last_ts,
  max(country) AS country, max(browser) AS browser, max(os) AS os, max(device) AS device
  FROM (SELECT site_id, ts - ts % 86400000 AS day, visitor, path, ts, country, browser, os, device,
  row_number() OVER (PARTITION BY site_id, ts - ts % 86400000, visitor ORDER BY ts, uid) AS k,
  count(*) OVER (PARTITION BY site_id, ts - ts % 86400000, visitor) AS n
  FROM visits WHERE event = 'pageview' AND true)
  GROUP BY site_id, day, visitor) b JOIN json_each('["country","browser","os","device"]') g WHERE true GROUP BY 1, 2, 3, 4, 5, 6 ON CONFLICT (site_id, fdim, fvalue, dim, day, value) DO UPDATE SET n = n + excluded.n;
--> statement-breakpoint
INSERT INTO visit_pairs (site_id, fdim, fvalue, dim, day, value, n) SELECT b.site_id, g.value, CASE g.value WHEN 'country' THEN coalesce(b.country, '') WHEN 'browser' THEN b.browser WHEN 'os' THEN b.os WHEN 'device' THEN b.device END, 'session', b.day, s.value, sum(CASE s.value WHEN 'visits' THEN 1 ELSE b.pv = 1 END)
  FROM (SELECT site_id, day, visitor, count(*) AS pv,
  max(CASE WHEN k = 1 THEN path END) AS first_path, max(CASE WHEN k = n THEN path END) AS last_path, max(ts) AS last_ts,
  max(country) AS country, max(browser) AS browser, max(os) AS os, max(device) AS device
  FROM (SELECT site_id, ts - ts % 86400000 AS day, visitor, path, ts, country, browser, os, device,
  row_number() OVER (PARTITION BY site_id, ts - ts % 86400000, visitor ORDER BY ts, uid) AS k,
  count(*) OVER (PARTITION BY site_id, ts - ts % 86400000, visitor) AS n
  FROM visits WHERE event = 'pageview' AND true)
  GROUP BY site_id, day, visitor) b JOIN json_each('["visits","bounces"]') s JOIN json_each('["country","browser","os","device"]') g WHERE true GROUP BY 1, 2, 3, 4, 5, 6 ON CONFLICT (site_id, fdim, fvalue, dim, day, value) DO UPDATE SET n = n + excluded.n;
--> statement-breakpoint
DELETE FROM visit_staging;
