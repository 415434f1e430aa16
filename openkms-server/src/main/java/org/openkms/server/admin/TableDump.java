package org.openkms.server.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The portable payload of a snapshot: every table of the OpenKMS schema, parents before children (by their foreign
 * keys), as column names and rows of typed values (null, integer, boolean, real, text, bytes). The same payload
 * loads into SQLite or PostgreSQL, whichever the source was. Not dumped: Flyway's history (the target's own
 * migrations make the schema) and {@code change_generation} (a cache-coherence counter, not data).
 */
final class TableDump {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> SKIPPED = Set.of("flyway_schema_history", "change_generation");
    private static final int BATCH = 500;
    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte TEXT = 2;
    private static final byte BYTES = 3;
    private static final byte BOOL = 4;
    private static final byte REAL = 5;

    private TableDump() {}

    record Dump(byte[] payload, Map<String, Long> rowCounts) {}

    /** Dumps the tables as {@code c} sees them; run it inside one snapshot (a read transaction, or a copy). */
    static Dump dump(Connection c, Progress progress) throws SQLException, IOException {
        List<String> tables = tables(c);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : tables) {
            counts.put(t, count(c, t));
        }
        progress.start(counts.values().stream().mapToLong(Long::longValue).sum());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(tables.size());
        for (String t : tables) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT * FROM " + quote(t))) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                out.writeUTF(t);
                out.writeInt(n);
                for (int i = 1; i <= n; i++) {
                    out.writeUTF(md.getColumnName(i).toLowerCase(Locale.ROOT));
                }
                long expected = counts.get(t);
                out.writeLong(expected);
                long rows = 0;
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        write(out, rs.getObject(i), t, md.getColumnName(i));
                    }
                    rows++;
                    progress.advance(1);
                }
                if (rows != expected) {
                    // Only if the caller's snapshot was not one: better no backup than an inconsistent one.
                    throw new SQLException(
                            t + " changed during the dump (" + expected + " rows counted, " + rows + " read)");
                }
            }
        }
        out.flush();
        progress.finish();
        return new Dump(bytes.toByteArray(), counts);
    }

    /** The row counts a payload holds, without loading it (to check it against its manifest). */
    static Map<String, Long> rowCounts(byte[] payload) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        read(payload, (table, columns, row) -> counts.merge(table, 1L, Long::sum), counts);
        return counts;
    }

    /** The rows of one table of a payload, as column name to value. */
    static List<Map<String, Object>> rows(byte[] payload, String table) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        read(
                payload,
                (t, columns, row) -> {
                    if (t.equals(table)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        for (int i = 0; i < row.length; i++) {
                            m.put(columns.get(i), row[i]);
                        }
                        out.add(m);
                    }
                },
                null);
        return out;
    }

    /**
     * Loads a payload into the empty tables of {@code c} in one transaction (the caller commits). PostgreSQL's
     * identity columns take the stored values ({@code OVERRIDING SYSTEM VALUE}) and their sequences then continue
     * after the largest.
     */
    static void load(Connection c, boolean postgres, byte[] payload, Progress progress)
            throws SQLException, IOException {
        Map<String, Map<String, Integer>> targetTypes = new TreeMap<>();
        for (String t : tables(c)) {
            targetTypes.put(t, columnTypes(c, t));
        }
        final PreparedStatement[] insert = {null};
        final String[] current = {null};
        final int[] pending = {0};
        final int[][] types = {null};
        try {
            read(
                    payload,
                    (table, columns, row) -> {
                        if (!table.equals(current[0])) {
                            flush(insert[0], pending);
                            if (insert[0] != null) {
                                insert[0].close();
                            }
                            current[0] = table;
                            Map<String, Integer> target = targetTypes.get(table);
                            if (target == null) {
                                throw new SQLException("the target database has no table " + table
                                        + " (the snapshot is from a newer OpenKMS)");
                            }
                            types[0] = new int[columns.size()];
                            StringBuilder sql = new StringBuilder("INSERT INTO ")
                                    .append(quote(table))
                                    .append(" (");
                            for (int i = 0; i < columns.size(); i++) {
                                Integer type = target.get(columns.get(i));
                                if (type == null) {
                                    throw new SQLException("the target table " + table + " has no column "
                                            + columns.get(i) + " (the snapshot is from a newer OpenKMS)");
                                }
                                types[0][i] = type;
                                sql.append(i == 0 ? "" : ", ").append(quote(columns.get(i)));
                            }
                            sql.append(')')
                                    .append(postgres ? " OVERRIDING SYSTEM VALUE" : "")
                                    .append(" VALUES (");
                            sql.append("?, ".repeat(columns.size() - 1)).append("?)");
                            insert[0] = c.prepareStatement(sql.toString());
                        }
                        for (int i = 0; i < row.length; i++) {
                            bind(insert[0], i + 1, row[i], types[0][i]);
                        }
                        insert[0].addBatch();
                        if (++pending[0] >= BATCH) {
                            flush(insert[0], pending);
                        }
                        progress.advance(1);
                    },
                    null);
            flush(insert[0], pending);
        } finally {
            if (insert[0] != null) {
                insert[0].close();
            }
        }
        if (postgres) {
            restartIdentities(c);
        }
        progress.finish();
    }

    /** True when no OpenKMS table of {@code c} holds a row (a database that has no tables yet is empty too). */
    static List<String> nonEmptyTables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String t : tables(c)) {
            if (count(c, t) > 0) {
                out.add(t);
            }
        }
        return out;
    }

    /** The schema version Flyway last applied, or "0" for a database without Flyway's history. */
    static String schemaVersion(Connection c) throws SQLException {
        if (!tableNames(c).contains("flyway_schema_history")) {
            return "0";
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS"
                        + " NOT NULL ORDER BY installed_rank DESC")) {
            return rs.next() ? rs.getString(1) : "0";
        }
    }

    private interface RowSink {
        void row(String table, List<String> columns, Object[] row) throws SQLException;
    }

    private static void read(byte[] payload, RowSink sink, Map<String, Long> counts) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int tables = in.readInt();
        for (int t = 0; t < tables; t++) {
            String table = name(in.readUTF());
            int n = in.readInt();
            if (n < 1 || n > 1000) {
                throw new IOException("bad column count " + n);
            }
            List<String> columns = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                columns.add(name(in.readUTF()));
            }
            long rows = in.readLong();
            if (counts != null) {
                counts.put(table, 0L);
            }
            for (long r = 0; r < rows; r++) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = readValue(in);
                }
                try {
                    sink.row(table, columns, row);
                } catch (SQLException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        }
        if (in.read() != -1) {
            throw new IOException("trailing bytes after the last table");
        }
    }

    private static String name(String s) throws IOException {
        if (!NAME.matcher(s).matches()) {
            throw new IOException("bad table or column name");
        }
        return s;
    }

    private static void write(DataOutputStream out, Object v, String table, String column) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.writeByte(LONG);
            out.writeLong(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOL);
            out.writeBoolean(b);
        } else if (v instanceof Double || v instanceof Float) {
            out.writeByte(REAL);
            out.writeDouble(((Number) v).doubleValue());
        } else if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeByte(TEXT);
            out.writeInt(b.length);
            out.write(b);
        } else if (v instanceof byte[] b) {
            out.writeByte(BYTES);
            out.writeInt(b.length);
            out.write(b);
        } else {
            throw new IOException("cannot dump " + table + "." + column + " of type "
                    + v.getClass().getName());
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case LONG:
                return in.readLong();
            case BOOL:
                return in.readBoolean();
            case REAL:
                return in.readDouble();
            case TEXT:
                return new String(readBytes(in), StandardCharsets.UTF_8);
            case BYTES:
                return readBytes(in);
            default:
                throw new IOException("bad value tag " + tag);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad value length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static void bind(PreparedStatement s, int i, Object v, int type) throws SQLException {
        boolean boolColumn = type == Types.BOOLEAN || type == Types.BIT;
        if (v == null) {
            s.setNull(i, type);
        } else if (v instanceof Long l) {
            if (boolColumn) {
                s.setBoolean(i, l != 0);
            } else {
                s.setLong(i, l);
            }
        } else if (v instanceof Boolean b) {
            if (boolColumn) {
                s.setBoolean(i, b);
            } else {
                s.setLong(i, b ? 1 : 0);
            }
        } else if (v instanceof Double d) {
            s.setDouble(i, d);
        } else if (v instanceof String str) {
            s.setString(i, str);
        } else {
            s.setBytes(i, (byte[]) v);
        }
    }

    private static void flush(PreparedStatement s, int[] pending) throws SQLException {
        if (s != null && pending[0] > 0) {
            s.executeBatch();
            pending[0] = 0;
        }
    }

    private static void restartIdentities(Connection c) throws SQLException {
        List<String[]> identities = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = current_schema() AND is_identity = 'YES'")) {
            while (rs.next()) {
                identities.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        for (String[] id : identities) {
            String table = quote(id[0]);
            String column = quote(id[1]);
            try (PreparedStatement s = c.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT"
                    + " MAX(" + column + ") FROM " + table + "), 0) + 1, false)")) {
                s.setString(1, table);
                s.setString(2, id[1]);
                s.execute();
            }
        }
    }

    /** The OpenKMS tables of the connection's schema, parents before the tables whose foreign keys name them. */
    private static List<String> tables(Connection c) throws SQLException {
        Set<String> names = new java.util.TreeSet<>(tableNames(c));
        names.removeAll(SKIPPED);
        DatabaseMetaData md = c.getMetaData();
        Map<String, Set<String>> parents = new TreeMap<>();
        for (String t : names) {
            Set<String> p = new LinkedHashSet<>();
            try (ResultSet rs = md.getImportedKeys(null, c.getSchema(), t)) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!parent.equals(t) && names.contains(parent)) {
                        p.add(parent);
                    }
                }
            }
            parents.put(t, p);
        }
        List<String> ordered = new ArrayList<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String t : names) {
            visit(t, parents, ordered, visiting);
        }
        return ordered;
    }

    private static void visit(String t, Map<String, Set<String>> parents, List<String> ordered, Set<String> visiting)
            throws SQLException {
        if (ordered.contains(t)) {
            return;
        }
        if (!visiting.add(t)) {
            throw new SQLException("foreign keys form a cycle through " + t);
        }
        for (String p : parents.get(t)) {
            visit(p, parents, ordered, visiting);
        }
        visiting.remove(t);
        ordered.add(t);
    }

    private static Set<String> tableNames(Connection c) throws SQLException {
        Set<String> names = new java.util.TreeSet<>();
        boolean sqlite = c.getMetaData().getURL().startsWith("jdbc:sqlite:");
        String sql = sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                        + " AND table_type = 'BASE TABLE'";
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String name = rs.getString(1).toLowerCase(Locale.ROOT);
                if (NAME.matcher(name).matches()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static Map<String, Integer> columnTypes(Connection c, String table) throws SQLException {
        Map<String, Integer> types = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + quote(table) + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                types.put(md.getColumnName(i).toLowerCase(Locale.ROOT), md.getColumnType(i));
            }
        }
        return types;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String quote(String name) {
        return '"' + name + '"';
    }
}
