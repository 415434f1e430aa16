package org.openkms.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension owning the one OpenKMS server shared by every conformance class in the JVM (on this JVM's
 * {@link ConformanceBackend}) (starting a server per
 * class would also work, but one keeps the module fast and keeps a single certificate per HTTPS port for the
 * SDKs' JVM-wide client caches). Started on first use, stopped when the whole test run ends (root-store
 * {@link AutoCloseable}), with a shutdown hook as a fallback. Tests stay independent by creating their own keys,
 * aliases and tags and by asserting only on those.
 *
 * <p>Injects {@link ConformanceServer} into constructors and methods; parameterised tests take their SDK
 * configurations from {@link #sdks()}.
 */
public final class SharedServer implements BeforeAllCallback, ParameterResolver {
    private static ConformanceServer instance;
    private static Path dataDir;

    /** The shared server, started on first call. */
    public static synchronized ConformanceServer get() {
        if (instance == null) {
            try {
                dataDir = Files.createTempDirectory("openkms-conformance-");
                instance = ConformanceServer.start(dataDir);
            } catch (Exception | Error e) {
                ConformanceServer.deleteRecursively(dataDir);
                throw new IllegalStateException("cannot start the shared OpenKMS server", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(SharedServer::stop, "openkms-conformance-stop"));
        }
        return instance;
    }

    static synchronized void stop() {
        if (instance != null) {
            instance.close();
            instance = null;
            ConformanceBackend.release(dataDir);
            ConformanceServer.deleteRecursively(dataDir);
        }
    }

    /** {@code @MethodSource("org.openkms.conformance.SharedServer#sdks")}: every SDK configuration of the matrix. */
    public static Stream<KmsApi> sdks() {
        return get().matrix().stream();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ConformanceBackend
                .assumeAvailable(); // OPENKMS_SKIP_PG=1 on the PostgreSQL run: the class is skipped, with the reason
        get();
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedServer.class, k -> (AutoCloseable) SharedServer::stop, AutoCloseable.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) throws ParameterResolutionException {
        return p.getParameter().getType() == ConformanceServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) throws ParameterResolutionException {
        return get();
    }
}
