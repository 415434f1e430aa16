-- Same table as on PostgreSQL, without triggers: an SQLite file belongs to one server process, so there are
-- no other nodes whose writes need noticing and the counter stays at 0.
CREATE TABLE change_generation (
    id    INTEGER PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO change_generation (id, value) VALUES (1, 0);
