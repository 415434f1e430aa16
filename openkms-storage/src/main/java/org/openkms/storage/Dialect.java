package org.openkms.storage;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The few places where the databases differ. Column types (BLOB vs BYTEA, INTEGER vs BIGINT/BOOLEAN, the
 * "C" collation that makes PostgreSQL sort like SQLite) live in the per-dialect migration folders; at run
 * time only the SQL generated here is dialect-specific.
 *
 * <p>SQLite (since 3.24) and PostgreSQL (since 9.5) accept the same {@code INSERT ... ON CONFLICT} syntax,
 * so both constants generate the same text today; a database without it (MySQL's
 * {@code ON DUPLICATE KEY UPDATE}) would override these methods. We use ON CONFLICT rather than catching a
 * unique violation because a failed statement aborts the whole transaction on PostgreSQL.
 */
enum Dialect {
    SQLITE("db/migration/sqlite"),
    POSTGRESQL("db/migration/postgresql");

    private final String migrationLocation;

    Dialect(String migrationLocation) {
        this.migrationLocation = migrationLocation;
    }

    /** Flyway classpath location holding this dialect's V*__*.sql files. */
    String migrationLocation() {
        return migrationLocation;
    }

    /** INSERT that silently skips a row whose unique key already exists (affected rows tell which). */
    String insertIgnore(String table, List<String> columns, List<String> conflictColumns) {
        return insert(table, columns) + " ON CONFLICT (" + String.join(", ", conflictColumns) + ") DO NOTHING";
    }

    /** INSERT that overwrites {@code updateColumns} when the unique key already exists. */
    String upsert(String table, List<String> columns, List<String> conflictColumns, List<String> updateColumns) {
        String assignments =
                updateColumns.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
        return insert(table, columns) + " ON CONFLICT (" + String.join(", ", conflictColumns) + ") DO UPDATE SET "
                + assignments;
    }

    private static String insert(String table, List<String> columns) {
        String marks = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + marks + ")";
    }
}
