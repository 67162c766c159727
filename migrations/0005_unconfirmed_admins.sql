-- Data migration (issue 10): registration used to grant Administrator to whoever registered ADMIN_EMAIL,
-- before any link mailed there was used. No unconfirmed account may hold the role now: drop any that
-- does to the default role. Its owner gets the role back by using the confirmation or a reset link.
UPDATE `users`
SET `role_id` = (SELECT `id` FROM `roles` WHERE `is_default` = 1 LIMIT 1)
WHERE `confirmed` = 0
  AND `role_id` = (SELECT `id` FROM `roles` WHERE `name` = 'Administrator');
