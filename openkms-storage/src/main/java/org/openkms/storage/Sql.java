package org.openkms.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole "data access layer": prepared statements with positional parameters and row-mapper lambdas.
 * Parameter conversion lives here so every repository stores values the same way on every database:
 * Instants as epoch milliseconds (BIGINT: no time zone or precision surprises), enums by name().
 */
final class Sql {
    private Sql() {}

    /** Executes an INSERT/UPDATE/DELETE and returns the affected row count. */
    static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            return statement.executeUpdate();
        }
    }

    /** Executes one statement per parameter row as a JDBC batch (one round trip on PostgreSQL). */
    static void batch(Connection connection, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(statement, row);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        }
    }

    /** The single row of a query on a unique key, or empty. */
    static <T> Optional<T> queryOne(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        List<T> rows = query(connection, sql, mapper, params);
        if (rows.size() > 1) {
            throw new SQLException("expected at most one row, got " + rows.size() + ": " + sql);
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static void bind(PreparedStatement statement, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            bindOne(statement, i + 1, params[i]);
        }
    }

    private static void bindOne(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            // Types.NULL lets each driver infer the column type (PostgreSQL: "unspecified"), so one call fits
            // TEXT, BIGINT and BYTEA columns alike.
            statement.setNull(index, Types.NULL);
        } else if (value instanceof String s) {
            statement.setString(index, s);
        } else if (value instanceof Long l) {
            statement.setLong(index, l);
        } else if (value instanceof Integer n) {
            statement.setLong(index, n);
        } else if (value instanceof Boolean b) {
            statement.setBoolean(index, b);
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else if (value instanceof Instant instant) {
            statement.setLong(index, instant.toEpochMilli());
        } else if (value instanceof Enum<?> e) {
            statement.setString(index, e.name());
        } else {
            throw new SQLException(
                    "unsupported parameter type " + value.getClass().getName());
        }
    }

    /** A nullable epoch-millisecond column as an Instant. */
    static Instant instant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** A nullable enum column stored by name(). */
    static <E extends Enum<E>> E enumValue(ResultSet row, String column, Class<E> type) throws SQLException {
        String name = row.getString(column);
        return name == null ? null : Enum.valueOf(type, name);
    }

    /**
     * A nullable binary column. sqlite-jdbc returns null for a zero-length BLOB, so an empty array is told
     * apart from SQL NULL by wasNull() and restored.
     */
    static byte[] bytes(ResultSet row, String column) throws SQLException {
        byte[] value = row.getBytes(column);
        if (value == null) {
            return row.wasNull() ? null : new byte[0];
        }
        return value;
    }
}
