-- imagegov on PostgreSQL, schema version 7: a consumer's shared images in list order, read from
-- the memberships themselves. Each member row carries a copy of what its image's list order and
-- base set need: image_created_at, the image's created_at (with image_id, the default order
-- created_at, id and its tie-break), and image_listed, whether the image is a live shared image
-- that a list can show (deleted_at IS NULL, status not killed, visibility shared). The catalog
-- writes both with the member rows, and in the same transaction as every change of the image row
-- that moves them (a replacement, a pending delete, a restore), so a copy never differs from its
-- image. A caller's memberships of one status (or its direct ones of any status) are then one
-- range of an index in list order: a page reads its rows from the marker on and stops, whatever
-- the number of memberships or of shared images.
ALTER TABLE image_member ADD COLUMN image_created_at bigint;
ALTER TABLE image_member ADD COLUMN image_listed boolean;
UPDATE image_member m SET image_created_at = i.created_at,
    image_listed = (i.deleted_at IS NULL AND i.status <> 'killed' AND i.visibility = 'shared')
  FROM image i WHERE i.id = m.image_id;
ALTER TABLE image_member ALTER COLUMN image_created_at SET NOT NULL;
ALTER TABLE image_member ALTER COLUMN image_listed SET NOT NULL;
-- A project's direct rows (via NULL) of one status on listed images, in list order; and its
-- answers to a group's offer (via set), likewise. Each member row is in at most one of the two,
-- and a page's member source is one range of one of them per status (and per group of the
-- caller's lineage), so no other index of the table can serve it out of order.
CREATE INDEX image_member_listing ON image_member (project, status, image_created_at, image_id)
  WHERE image_listed AND via IS NULL;
CREATE INDEX image_member_answer ON image_member (project, status, image_created_at, image_id)
  WHERE image_listed AND via IS NOT NULL;
-- Every lookup of a project's memberships by status is served by the two above (a list sorted
-- by another key probes them for its shared images' member rows, which are all listed).
DROP INDEX image_member_project;
