-- imagegov on PostgreSQL, schema version 2: hierarchical sharing. A member row may be a project's
-- answer to an image offered to a group above it (a parent project or a domain that is a direct
-- member of the image); via names that group, and is NULL for a direct member (every row of
-- version 1). An answer grants nothing by itself: the query decides with the caller's lineage.
ALTER TABLE image_member ADD COLUMN via text COLLATE "C";
