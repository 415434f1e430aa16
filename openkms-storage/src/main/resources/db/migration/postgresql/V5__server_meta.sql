-- Named values about the database itself. Keep in step with ../sqlite/V5__server_meta.sql.
-- root_key_check: the root key sealing a fixed label (RootKeyCheck in openkms-crypto). A server whose root key
-- cannot open it refuses to start, instead of sealing new rows under a second root key. Written once per
-- database and read only at start, so no change_generation trigger: no node caches it.
CREATE TABLE server_meta (
    name  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    value BYTEA NOT NULL
);
