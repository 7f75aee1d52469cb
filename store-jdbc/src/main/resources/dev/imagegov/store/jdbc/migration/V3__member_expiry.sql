-- imagegov on PostgreSQL, schema version 2: a membership may carry an expiry (nanoseconds since
-- the epoch, like every instant here); NULL for a membership that never expires. From that
-- instant on the member counts as absent, so a list's membership source skips it.
ALTER TABLE image_member ADD COLUMN expires_at bigint;
