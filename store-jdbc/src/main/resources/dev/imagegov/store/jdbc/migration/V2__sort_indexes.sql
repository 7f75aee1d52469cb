-- imagegov on PostgreSQL, schema version 2: listing indexes for the sort keys other than the
-- default (created_at, id). A list sorted by key k is ordered by k's expressions, then created_at,
-- then id, all in one direction (the tie-breaks follow the first key), so one index per key,
-- over the listable images, serves the key ascending (forwards) and descending (backwards), with
-- a marker as the start of its range. A nullable column c sorts as (c IS NOT NULL,
-- COALESCE(c, zero)), which is what the index stores, so the planner matches the ORDER BY to it.
CREATE INDEX image_sort_name
  ON image ((name IS NOT NULL), COALESCE(name, ''), created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
CREATE INDEX image_sort_size
  ON image ((size IS NOT NULL), COALESCE(size, 0), created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
CREATE INDEX image_sort_virtual_size
  ON image ((virtual_size IS NOT NULL), COALESCE(virtual_size, 0), created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
CREATE INDEX image_sort_updated_at
  ON image (updated_at, created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
CREATE INDEX image_sort_status
  ON image (status, created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
CREATE INDEX image_sort_disk_format
  ON image ((disk_format IS NOT NULL), COALESCE(disk_format, ''), created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
-- An owner's list by name (the order of a project's own image catalogue in dashboards).
CREATE INDEX image_sort_owner_name
  ON image (owner, (name IS NOT NULL), COALESCE(name, ''), created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
