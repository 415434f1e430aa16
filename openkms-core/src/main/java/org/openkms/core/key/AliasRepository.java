package org.openkms.core.key;

import java.util.List;
import java.util.Optional;

public interface AliasRepository {
    /** False when the alias name is taken. */
    boolean create(AliasRecord alias);

    Optional<AliasRecord> find(String aliasName);

    /** Re-points an alias; false when it does not exist. */
    boolean update(String aliasName, String keyId);

    /** False when it does not exist. */
    boolean delete(String aliasName);

    /** All aliases ordered by name. */
    List<AliasRecord> list();

    /** Aliases of one key ordered by name. */
    List<AliasRecord> listByKey(String keyId);
}
