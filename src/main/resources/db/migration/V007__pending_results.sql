-- A branch or worker result now waits as 'received' until the turn that takes it up is recorded, so a
-- restart can find the re-triggers it missed (direction 'system', sender_name the process kind).
CREATE INDEX messages_pending_results ON messages (conversation_id) WHERE direction = 'system' AND status = 'received';
