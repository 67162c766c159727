CREATE TABLE `actor_keys` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`public_key_jwk` text NOT NULL,
	`private_key_jwk` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
