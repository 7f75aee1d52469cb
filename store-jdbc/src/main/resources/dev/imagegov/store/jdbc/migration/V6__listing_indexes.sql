-- imagegov on PostgreSQL, schema version 6: the listing indexes the pages of the API still read
-- without, each partial over the listable images like the others.
--
-- An owner's list of one visibility (Glance's visibility=private, a project's own catalogue) in
-- the default order. image_list_owner (owner, created_at, id) gives the order but must filter
-- the other visibilities, so PostgreSQL preferred reading every image of the owner and sorting
-- them: O(m) for an owner of m images. With the visibility second, the owner's images of one
-- visibility are one range in (created_at, id) order, and the page stops after its rows.
CREATE INDEX image_list_owner_visibility ON image (owner, visibility, created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
-- The two sort keys Glance's API accepts that V2 left without an index (sort_key=container_format,
-- sort_key=id): a list sorted by k is ordered by k's expressions, then created_at, then id (id
-- only once), so each is one range of its index from the marker on.
CREATE INDEX image_sort_container_format
  ON image ((container_format IS NOT NULL), COALESCE(container_format, ''), created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
CREATE INDEX image_sort_id ON image (id, created_at)
  WHERE deleted_at IS NULL AND status <> 'killed';
