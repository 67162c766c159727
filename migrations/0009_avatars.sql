ALTER TABLE `users` ADD `avatar_version` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `use_gravatar` integer DEFAULT false NOT NULL;