-- OpenKMS schema, SQLite dialect. Keep in step with ../postgresql/V1__init.sql (same tables and columns).
-- Conventions: instants are epoch milliseconds (INTEGER), enums are stored by name(), booleans as 0/1.
-- STRICT tables make SQLite reject a value of the wrong type instead of storing it silently.

-- One row per key: metadata only, never key material. revision drives optimistic updates.
CREATE TABLE keys (
    key_id                          TEXT    NOT NULL PRIMARY KEY,
    description                     TEXT,
    key_spec                        TEXT    NOT NULL,
    key_usage                       TEXT    NOT NULL,
    origin                          TEXT    NOT NULL,
    protection_level                TEXT,
    state                           TEXT    NOT NULL,
    creation_date                   INTEGER NOT NULL,
    delete_date                     INTEGER,
    primary_key_version             TEXT,
    rotation_interval_seconds       INTEGER NOT NULL,
    last_rotation_date              INTEGER,
    deletion_protection             INTEGER NOT NULL CHECK (deletion_protection IN (0, 1)),
    deletion_protection_description TEXT,
    creator                         TEXT,
    material_expire_time            INTEGER,
    revision                        INTEGER NOT NULL
) STRICT;

CREATE INDEX keys_by_creation ON keys (creation_date, key_id);

-- Key versions with sealed material. seq records insertion order, which is the versions' creation order
-- (timestamps alone can tie or go backwards across nodes).
CREATE TABLE key_versions (
    seq             INTEGER NOT NULL PRIMARY KEY,
    key_version_id  TEXT    NOT NULL UNIQUE,
    key_id          TEXT    NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
    creation_date   INTEGER NOT NULL,
    sealed_material BLOB
) STRICT;

CREATE INDEX key_versions_by_key ON key_versions (key_id, seq);

CREATE TABLE aliases (
    alias_name    TEXT    NOT NULL PRIMARY KEY,
    key_id        TEXT    NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
    creation_date INTEGER NOT NULL
) STRICT;

CREATE INDEX aliases_by_key ON aliases (key_id, alias_name);

-- Tags of keys and secrets; no foreign key because resource_id points into different tables.
CREATE TABLE tags (
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    tag_key       TEXT NOT NULL,
    tag_value     TEXT,
    PRIMARY KEY (resource_type, resource_id, tag_key)
) STRICT;

CREATE TABLE access_keys (
    access_key_id  TEXT    NOT NULL PRIMARY KEY,
    sealed_secret  BLOB    NOT NULL,
    principal_name TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    creation_date  INTEGER NOT NULL
) STRICT;
