CREATE TABLE `post_tags` (
	`post_id` integer NOT NULL,
	`tag` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`post_id`, `tag`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `post_tags_tag_created` ON `post_tags` (`tag`,`created_at`,`post_id`);--> statement-breakpoint
-- Backfill (hand-written): the hashtags of posts written before this migration, by the rule of
-- lib/markdown.ts: a '#' at the start of the text or after a space, tab or newline, then an ASCII
-- letter and up to 49 more letters, digits or '_', lower-cased. It scans from one '#' to the next
-- (ltrim with the tag characters measures the run). One approximation: a '#word' inside a code block or
-- code span counts here but not when rendered. Posts written before this keep their stored HTML (tags
-- become links when a post is next edited); their /tags pages are complete from now on.
INSERT OR IGNORE INTO post_tags (post_id, tag, created_at)
WITH RECURSIVE scan(post_id, created_at, anchor, prev, rest) AS (
  SELECT id, created_at, 1, '', body FROM posts WHERE instr(body, '#') > 0
  UNION ALL
  SELECT post_id, created_at, 0,
    CASE WHEN instr(rest, '#') = 1 THEN (CASE WHEN anchor THEN ' ' ELSE '#' END) ELSE substr(rest, instr(rest, '#') - 1, 1) END,
    substr(rest, instr(rest, '#') + 1)
  FROM scan WHERE instr(rest, '#') > 0
),
found(post_id, created_at, rest, run) AS (
  SELECT post_id, created_at, rest,
    length(rest) - length(ltrim(rest, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'))
  FROM scan
  WHERE anchor = 0 AND prev IN (' ', char(9), char(10), char(13)) AND substr(rest, 1, 1) GLOB '[A-Za-z]'
)
SELECT post_id, lower(substr(rest, 1, run)), created_at FROM found WHERE run BETWEEN 1 AND 50;
