ALTER TABLE `sites` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
-- Data: visit_hourly's buckets shrink from UTC hours to UTC quarter hours (see db/schema.ts), so sites in
-- zones such as Asia/Kathmandu (+5:45) get exact local days for past visits too. Rebuilt from the raw
-- visits with the consumer's rule (a visitor counts in the bucket of their first hit of the UTC day); an
-- hour with no raw visits left is kept as it was.
CREATE TABLE `visit_hourly_keep` AS SELECT * FROM `visit_hourly` h
  WHERE NOT EXISTS (SELECT 1 FROM `visits` v WHERE v.site_id = h.site_id AND v.ts >= h.hour AND v.ts < h.hour + 3600000);
--> statement-breakpoint
DELETE FROM `visit_hourly`;
--> statement-breakpoint
INSERT INTO `visit_hourly` (site_id, hour, pageviews, visitors)
  SELECT site_id, q, sum(pv), sum(nv) FROM (
    SELECT site_id, ts - ts % 900000 AS q, event = 'pageview' AS pv,
      row_number() OVER (PARTITION BY site_id, ts - ts % 86400000, visitor ORDER BY ts, uid) = 1 AS nv
    FROM `visits`
  ) WHERE true GROUP BY site_id, q;
--> statement-breakpoint
INSERT INTO `visit_hourly` SELECT * FROM `visit_hourly_keep`;
--> statement-breakpoint
DROP TABLE `visit_hourly_keep`;
