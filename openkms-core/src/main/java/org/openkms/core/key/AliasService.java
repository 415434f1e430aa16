package org.openkms.core.key;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.openkms.core.KmsSettings;
import org.openkms.core.error.Errors;

/**
 * CreateAlias, UpdateAlias, DeleteAlias, ListAliases, ListAliasesByKeyId
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createalias).
 */
public final class AliasService {
    private final AliasRepository repository;
    private final KeyService keys;
    private final KeyResolver resolver;
    private final KmsSettings settings;
    private final Clock clock;

    public AliasService(
            AliasRepository repository, KeyService keys, KeyResolver resolver, KmsSettings settings, Clock clock) {
        this.repository = repository;
        this.keys = keys;
        this.resolver = resolver;
        this.settings = settings;
        this.clock = clock;
    }

    public void createAlias(String aliasName, String keyIdParam) {
        validateName(aliasName);
        KeyRecord key = keys.describeKey(keyIdParam);
        if (key.state() == KeyState.PendingDeletion) {
            throw Errors.stateModifiedFailed(key.state().name());
        }
        if (repository.list().size() >= settings.maxAliases()) {
            throw Errors.limitExceeded("at most " + settings.maxAliases() + " aliases");
        }
        if (!repository.create(new AliasRecord(aliasName, key.keyId(), Instant.ofEpochMilli(clock.millis())))) {
            throw Errors.aliasAlreadyExists();
        }
        resolver.invalidateAlias(aliasName);
    }

    public void updateAlias(String aliasName, String keyIdParam) {
        refuseReserved(aliasName);
        KeyRecord key = keys.describeKey(keyIdParam);
        if (repository.find(aliasName).isEmpty()) {
            throw Errors.aliasNotFound();
        }
        if (key.state() == KeyState.PendingDeletion) {
            throw Errors.pendingDeletion();
        }
        if (!repository.update(aliasName, key.keyId())) {
            throw Errors.aliasNotFound();
        }
        resolver.invalidateAlias(aliasName);
    }

    public void deleteAlias(String aliasName) {
        refuseReserved(aliasName);
        if (!repository.delete(aliasName)) {
            throw Errors.aliasNotFound();
        }
        resolver.invalidateAlias(aliasName);
    }

    public List<AliasRecord> listAliases() {
        return repository.list();
    }

    public List<AliasRecord> listAliasesByKeyId(String keyIdParam) {
        return repository.listByKey(keys.describeKey(keyIdParam).keyId());
    }

    /** {@code alias/} + 1–255 of [A-Za-z0-9_/-], not in the reserved {@code alias/acs} namespace. */
    static void validateName(String aliasName) {
        if (!aliasName.startsWith("alias/")
                || aliasName.length() == "alias/".length()
                || aliasName.length() > 6 + 255) {
            throw Errors.invalidParameter("AliasName", "It must be alias/ followed by 1 to 255 characters.");
        }
        for (int i = 6; i < aliasName.length(); i++) {
            char c = aliasName.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '/'
                    || c == '-';
            if (!ok) {
                throw Errors.invalidParameter(
                        "AliasName", "Only letters, digits, '_', '/' and '-' are allowed after alias/.");
            }
        }
        refuseReserved(aliasName);
    }

    /**
     * Aliases under {@code alias/acs} belong to the service (such as {@code alias/acs/secrets-manager}, which decides
     * the key that seals secrets created without EncryptionKeyId): no caller may create, repoint or delete them.
     * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createalias
     */
    private static void refuseReserved(String aliasName) {
        if (aliasName != null && aliasName.startsWith("alias/acs")) {
            throw Errors.invalidParameter("AliasName", "The prefix alias/acs is reserved.");
        }
    }
}
