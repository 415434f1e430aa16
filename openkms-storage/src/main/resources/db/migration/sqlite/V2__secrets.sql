-- Secrets Manager, SQLite dialect. Keep in step with ../postgresql/V2__secrets.sql.
-- Secret values never appear here in clear: envelope = value encrypted under a data key that is encrypted
-- with the secret's KMS key (EncryptionKeyId).

CREATE TABLE secrets (
    secret_name               TEXT    NOT NULL PRIMARY KEY,
    secret_type               TEXT    NOT NULL,
    description               TEXT,
    encryption_key_id         TEXT    NOT NULL,
    extended_config           TEXT,
    automatic_rotation        INTEGER NOT NULL CHECK (automatic_rotation IN (0, 1)),
    rotation_interval_seconds INTEGER NOT NULL,
    last_rotation_date        INTEGER,
    creation_date             INTEGER NOT NULL,
    update_date               INTEGER NOT NULL,
    planned_delete_time       INTEGER,
    rotation_failure          TEXT,
    rotation_failure_date     INTEGER,
    creator                   TEXT,
    revision                  INTEGER NOT NULL
) STRICT;

CREATE INDEX secrets_by_creation ON secrets (creation_date, secret_name);

-- seq keeps insertion order (= version age) whatever the clocks say. stages: comma-separated labels
-- (labels are restricted to [A-Za-z0-9_.-], so a comma never occurs inside one).
CREATE TABLE secret_versions (
    seq           INTEGER NOT NULL PRIMARY KEY,
    secret_name   TEXT    NOT NULL REFERENCES secrets (secret_name) ON DELETE CASCADE,
    version_id    TEXT    NOT NULL,
    creation_date INTEGER NOT NULL,
    data_type     TEXT    NOT NULL,
    envelope      BLOB    NOT NULL,
    stages        TEXT    NOT NULL,
    UNIQUE (secret_name, version_id)
) STRICT;

CREATE INDEX secret_versions_by_secret ON secret_versions (secret_name, seq);
