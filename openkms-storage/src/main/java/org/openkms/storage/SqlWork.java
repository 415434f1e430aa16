package org.openkms.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work on a borrowed connection; may throw SQLException, which the caller wraps. */
@FunctionalInterface
interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
