-- Named values about the database itself. Keep in step with ../postgresql/V5__server_meta.sql.
-- root_key_check: the root key sealing a fixed label (RootKeyCheck in openkms-crypto). A server whose root key
-- cannot open it refuses to start, instead of sealing new rows under a second root key.
CREATE TABLE server_meta (
    name  TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
