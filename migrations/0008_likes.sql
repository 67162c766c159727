CREATE TABLE `post_likes` (
	`post_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`post_id`, `user_id`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `post_likes_post_created` ON `post_likes` (`post_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `post_likes_user` ON `post_likes` (`user_id`);--> statement-breakpoint
ALTER TABLE `posts` ADD `like_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written: posts.like_count follows post_likes inside the same statement, whoever writes it (a like,
-- an unlike, or the cascade when a user is deleted), so every post list reads its count with no join.
CREATE TRIGGER `post_likes_count_insert` AFTER INSERT ON `post_likes` BEGIN
  UPDATE posts SET like_count = like_count + 1 WHERE id = new.post_id;
END;
--> statement-breakpoint
CREATE TRIGGER `post_likes_count_delete` AFTER DELETE ON `post_likes` BEGIN
  UPDATE posts SET like_count = like_count - 1 WHERE id = old.post_id;
END;
