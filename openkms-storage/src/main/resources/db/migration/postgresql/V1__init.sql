-- OpenKMS schema, PostgreSQL dialect. Keep in step with ../sqlite/V1__init.sql (same tables and columns).
-- Conventions: instants are epoch milliseconds (BIGINT), enums are stored by name().
-- Text columns that we sort or compare on use COLLATE "C" (byte order), so ORDER BY gives the same result
-- as on SQLite whatever the database's locale is.

-- One row per key: metadata only, never key material. revision drives optimistic updates.
CREATE TABLE keys (
    key_id                          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    description                     TEXT,
    key_spec                        TEXT    NOT NULL,
    key_usage                       TEXT    NOT NULL,
    origin                          TEXT    NOT NULL,
    protection_level                TEXT,
    state                           TEXT    NOT NULL,
    creation_date                   BIGINT  NOT NULL,
    delete_date                     BIGINT,
    primary_key_version             TEXT,
    rotation_interval_seconds       BIGINT  NOT NULL,
    last_rotation_date              BIGINT,
    deletion_protection             BOOLEAN NOT NULL,
    deletion_protection_description TEXT,
    creator                         TEXT,
    material_expire_time            BIGINT,
    revision                        BIGINT  NOT NULL
);

CREATE INDEX keys_by_creation ON keys (creation_date, key_id);

-- Key versions with sealed material. seq records insertion order, which is the versions' creation order
-- (timestamps alone can tie or go backwards across nodes).
CREATE TABLE key_versions (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_version_id  TEXT COLLATE "C" NOT NULL UNIQUE,
    key_id          TEXT COLLATE "C" NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
    creation_date   BIGINT NOT NULL,
    sealed_material BYTEA
);

CREATE INDEX key_versions_by_key ON key_versions (key_id, seq);

CREATE TABLE aliases (
    alias_name    TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    key_id        TEXT COLLATE "C" NOT NULL REFERENCES keys (key_id) ON DELETE CASCADE,
    creation_date BIGINT NOT NULL
);

CREATE INDEX aliases_by_key ON aliases (key_id, alias_name);

-- Tags of keys and secrets; no foreign key because resource_id points into different tables.
CREATE TABLE tags (
    resource_type TEXT COLLATE "C" NOT NULL,
    resource_id   TEXT COLLATE "C" NOT NULL,
    tag_key       TEXT COLLATE "C" NOT NULL,
    tag_value     TEXT,
    PRIMARY KEY (resource_type, resource_id, tag_key)
);

CREATE TABLE access_keys (
    access_key_id  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    sealed_secret  BYTEA  NOT NULL,
    principal_name TEXT   NOT NULL,
    status         TEXT   NOT NULL,
    creation_date  BIGINT NOT NULL
);
