-- Schema version 2: a pending-delete image keeps its row and children so that it can be restored.
-- kept_status is the status the image had when it was deleted with delayed_delete; it is set only
-- on a pending_delete tombstone whose members, properties and locations were kept (every one
-- deleted from this version on), and cleared when the image is restored or its deletion finished.
-- A pending_delete row of version 1 has no kept_status (its children were deleted) and cannot be
-- restored; nothing else about it changes.
ALTER TABLE image ADD COLUMN kept_status text COLLATE "C";
