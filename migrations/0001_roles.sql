-- Data migration: the three roles and their permission bits
-- (FOLLOW=1, COMMENT=2, WRITE=4, MODERATE=8, ADMIN=16). Idempotent: re-running converges to these values.
INSERT INTO `roles` (`name`, `is_default`, `permissions`) VALUES
  ('User', 1, 7),
  ('Moderator', 0, 15),
  ('Administrator', 0, 31)
ON CONFLICT(`name`) DO UPDATE SET `is_default` = excluded.`is_default`, `permissions` = excluded.`permissions`;
