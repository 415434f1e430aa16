package org.openkms.core.service;

import java.time.Clock;
import org.openkms.core.Account;
import org.openkms.core.KmsSettings;
import org.openkms.core.key.AliasService;
import org.openkms.core.key.AsymmetricService;
import org.openkms.core.key.CryptoService;
import org.openkms.core.key.DataKeyExportService;
import org.openkms.core.key.ImportService;
import org.openkms.core.key.ImportTokens;
import org.openkms.core.key.KeyCache;
import org.openkms.core.key.KeyMaintenance;
import org.openkms.core.key.KeyMaterials;
import org.openkms.core.key.KeyResolver;
import org.openkms.core.key.KeyService;
import org.openkms.core.key.MacService;
import org.openkms.core.secret.SecretService;
import org.openkms.core.store.Storage;
import org.openkms.crypto.rootkey.RootKeyProvider;

/** The domain core wired together: one instance per server, handed to the gateway. */
public final class Kms {
    private final Account account;
    private final KeyService keys;
    private final AliasService aliases;
    private final TagService tags;
    private final CryptoService crypto;
    private final AsymmetricService asymmetric;
    private final MacService mac;
    private final ImportService imports;
    private final DataKeyExportService dataKeyExport;
    private final KeyMaintenance maintenance;
    private final SecretService secrets;
    private final KeyResolver resolver;
    private final KeyCache cache;
    private final java.util.function.Supplier<org.openkms.core.instance.Instances> instances;

    public Kms(Account account, Storage storage, RootKeyProvider rootKey, KmsSettings settings, Clock clock) {
        this.account = account;
        KeyResolver resolver = new KeyResolver(account, storage.aliases());
        KeyMaterials materials = new KeyMaterials(rootKey);
        KeyCache cache = new KeyCache(storage.keys(), materials);
        this.resolver = resolver;
        this.cache = cache;
        this.keys = new KeyService(account, storage.keys(), materials, cache, resolver, settings, clock);
        this.aliases = new AliasService(storage.aliases(), keys, resolver, settings, clock);
        this.crypto = new CryptoService(cache, resolver, clock);
        this.asymmetric = new AsymmetricService(cache, resolver, crypto, clock);
        this.mac = new MacService(cache, resolver, clock);
        this.imports = new ImportService(keys, new ImportTokens(rootKey), clock);
        this.dataKeyExport = new DataKeyExportService(crypto);
        this.secrets = new SecretService(account, storage.secrets(), storage.aliases(), keys, resolver, crypto, clock);
        this.tags = new TagService(storage, keys, secrets);
        this.maintenance = new KeyMaintenance(keys, clock);
        // Made on first use: test doubles of Storage that wrap only the domain repositories have no instances().
        org.openkms.core.instance.Instances[] made = new org.openkms.core.instance.Instances[1];
        this.instances = () -> {
            synchronized (made) {
                if (made[0] == null) {
                    made[0] = new org.openkms.core.instance.Instances(account, storage.instances(), rootKey, clock);
                }
                return made[0];
            }
        };
    }

    /**
     * The key a KeyId parameter names (ID, alias or ARN), from memory when cached; empty when it names nothing.
     * Used to find the resource of a call before authorising it.
     */
    public java.util.Optional<String> keyIdOf(String keyIdParam) {
        try {
            return java.util.Optional.of(resolver.resolve(keyIdParam));
        } catch (org.openkms.core.error.KmsException e) {
            return java.util.Optional.empty();
        }
    }

    /** The key a key version belongs to (e.g. the one inside a ciphertext blob), if it exists. */
    public java.util.Optional<String> keyIdOfVersion(String keyVersionId) {
        return cache.byVersion(keyVersionId).map(k -> k.record().keyId());
    }

    /** The cache of unsealed keys, read by the server's metrics (size, hits, misses). */
    public KeyCache keyCache() {
        return cache;
    }

    /** Drops every domain cache; the next call reloads from storage. Used when another node has written. */
    public void invalidateCaches() {
        cache.invalidateAll();
        resolver.invalidateAll();
        secrets.invalidateCache();
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

    public AsymmetricService asymmetric() {
        return asymmetric;
    }

    public MacService mac() {
        return mac;
    }

    public ImportService imports() {
        return imports;
    }

    public DataKeyExportService dataKeyExport() {
        return dataKeyExport;
    }

    public KeyMaintenance maintenance() {
        return maintenance;
    }

    /** The KMS instances this server is. */
    public org.openkms.core.instance.Instances instances() {
        return instances.get();
    }

    public SecretService secrets() {
        return secrets;
    }
}
