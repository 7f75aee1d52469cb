-- imagegov on PostgreSQL, schema version 1: the catalog (images with their members, properties
-- and locations; tombstones) and the usage port (committed usage and leased reservations).
-- Text that is compared or sorted uses the "C" collation, so that the database orders strings as
-- imagegov's query semantics do (by code point), whatever the database's locale. Instants are
-- nanoseconds since the epoch (bigint), so that they read back exactly as they were written.

-- One row per image id ever inserted: a live image (deleted_at IS NULL) or a tombstone
-- (status 'deleted' or 'pending_delete', deleted_at set). Keeping the row makes the primary key
-- refuse a deleted id forever (OSSN-0075).
CREATE TABLE image (
  id               text COLLATE "C" PRIMARY KEY,
  name             text COLLATE "C",
  status           text COLLATE "C" NOT NULL,
  visibility       text COLLATE "C" NOT NULL,
  owner            text COLLATE "C",
  protected        boolean NOT NULL,
  os_hidden        boolean NOT NULL,
  disk_format      text COLLATE "C",
  container_format text COLLATE "C",
  size             bigint,
  virtual_size     bigint,
  checksum         text COLLATE "C",
  os_hash_algo     text COLLATE "C",
  os_hash_value    text COLLATE "C",
  min_disk         integer NOT NULL,
  min_ram          integer NOT NULL,
  tags             text[] NOT NULL,
  created_at       bigint NOT NULL,
  updated_at       bigint NOT NULL,
  version          bigint NOT NULL,
  deleted_at       bigint
);

-- The listing indexes cover the listable images only (live, not killed), in the default order
-- (created_at, id), scanned forwards or backwards: one per source a caller's list draws from.
CREATE INDEX image_list_all ON image (created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
CREATE INDEX image_list_visibility ON image (visibility, created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
CREATE INDEX image_list_owner ON image (owner, created_at, id)
  WHERE deleted_at IS NULL AND status <> 'killed';
CREATE INDEX image_list_tags ON image USING gin (tags)
  WHERE deleted_at IS NULL AND status <> 'killed';

CREATE TABLE image_member (
  image_id   text COLLATE "C" NOT NULL REFERENCES image (id),
  project    text COLLATE "C" NOT NULL,
  status     text COLLATE "C" NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (image_id, project)
);
CREATE INDEX image_member_project ON image_member (project, status, image_id);

CREATE TABLE image_property (
  image_id text COLLATE "C" NOT NULL REFERENCES image (id),
  position integer NOT NULL,
  name     text COLLATE "C" NOT NULL,
  value    text COLLATE "C" NOT NULL,
  PRIMARY KEY (image_id, name)
);
CREATE INDEX image_property_value ON image_property (name, value, image_id);

CREATE TABLE image_location (
  image_id    text COLLATE "C" NOT NULL REFERENCES image (id),
  position    integer NOT NULL,
  store       text COLLATE "C" NOT NULL,
  url         text NOT NULL,
  meta_keys   text[] NOT NULL,
  meta_values text[] NOT NULL,
  PRIMARY KEY (image_id, position)
);

-- Committed usage: one row per project (its lock row), and stored bytes per project and store.
CREATE TABLE usage_account (
  project      text COLLATE "C" PRIMARY KEY,
  staged_bytes bigint NOT NULL DEFAULT 0,
  images       bigint NOT NULL DEFAULT 0,
  uploads      bigint NOT NULL DEFAULT 0
);

CREATE TABLE usage_stored (
  project text COLLATE "C" NOT NULL,
  store   text COLLATE "C" NOT NULL,
  bytes   bigint NOT NULL,
  PRIMARY KEY (project, store)
);

-- What open reservations hold: one row per reservation and kind, counted only until its lease
-- expires (expires_at, nanoseconds since the epoch); every call on the reservation renews it.
CREATE TABLE usage_reservation (
  reservation uuid NOT NULL,
  kind        text COLLATE "C" NOT NULL,
  project     text COLLATE "C" NOT NULL,
  amount      bigint NOT NULL,
  expires_at  bigint NOT NULL,
  PRIMARY KEY (reservation, kind)
);
CREATE INDEX usage_reservation_project ON usage_reservation (project, kind, expires_at);
