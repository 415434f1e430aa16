package org.openkms.storage;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Maps the current row of a result set to one object. */
@FunctionalInterface
interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
}
