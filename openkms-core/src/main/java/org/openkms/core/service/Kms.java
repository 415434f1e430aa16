package org.openkms.core.service;

import java.time.Clock;
import org.openkms.core.Account;
import org.openkms.core.store.Storage;
import org.openkms.crypto.rootkey.RootKeyProvider;

/** The domain core wired together: one instance per server, handed to the gateway. */
public final class Kms {
    private final Account account;
    private final KeyService keys;
    private final AliasService aliases;
    private final TagService tags;
    private final CryptoService crypto;
    private final KeyMaintenance maintenance;
    private final SecretService secrets;

    public Kms(Account account, Storage storage, RootKeyProvider rootKey, KmsSettings settings, Clock clock) {
        this.account = account;
        KeyResolver resolver = new KeyResolver(account, storage.aliases());
        KeyCache cache = new KeyCache(storage.keys(), rootKey);
        this.keys = new KeyService(account, storage, rootKey, cache, resolver, settings, clock);
        this.aliases = new AliasService(storage, keys, resolver, settings, clock);
        this.crypto = new CryptoService(cache, resolver);
        this.secrets = new SecretService(account, storage, keys, resolver, crypto, clock);
        this.tags = new TagService(storage, keys, secrets);
        this.maintenance = new KeyMaintenance(keys, clock);
    }

    public Account account() {
        return account;
    }

    public KeyService keys() {
        return keys;
    }

    public AliasService aliases() {
        return aliases;
    }

    public TagService tags() {
        return tags;
    }

    public CryptoService crypto() {
        return crypto;
    }

    public KeyMaintenance maintenance() {
        return maintenance;
    }

    public SecretService secrets() {
        return secrets;
    }
}
