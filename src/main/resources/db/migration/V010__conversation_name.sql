-- A conversation's name as people see it on its platform (a Telegram chat's title, #channel (Guild) on Discord),
-- kept from the newest message that carried one: GET /api/channels shows it and an agent can name a channel by it.
-- Landed migrations are never edited; add a new file instead.
ALTER TABLE conversations ADD COLUMN display_name TEXT;
