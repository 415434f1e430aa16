package org.openkms.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.openkms.core.store.Storage;

/**
 * A {@link Storage} whose repositories time every call: {@code openkms_storage_operation_seconds} by repository
 * (the {@link Storage} accessor: keys, aliases, tags, accessKeys, secrets, iam, accessPoints, instances, meta) and
 * operation ({@code read}: a find; {@code list}: a list or a key's or secret's versions; {@code write}: the rest).
 * The labels are those fixed names only, never a key id, alias or secret name, so the series are bounded (9 × 3).
 *
 * <p>Only calls that reach storage are timed: the cryptographic calls are served from the key cache and never get
 * here, so they pay nothing. A timed call costs a map lookup and two {@code nanoTime} reads beside the query. The
 * repositories are wrapped by reflection ({@link Proxy}) rather than by a forwarding class per repository, so a method
 * added to a repository port is timed without a change here; its name decides its operation.
 */
final class TimedStorage implements InvocationHandler {
    /** The {@link Storage} accessors that return a repository. */
    static final Set<String> REPOSITORIES =
            Set.of("keys", "aliases", "tags", "accessKeys", "secrets", "iam", "accessPoints", "instances", "meta");

    private final Storage storage;
    private final MeterRegistry registry;
    private final Map<String, Object> repositories = new ConcurrentHashMap<>();

    private TimedStorage(Storage storage, MeterRegistry registry) {
        this.storage = storage;
        this.registry = registry;
    }

    static Storage wrap(Storage storage, MeterRegistry registry) {
        return (Storage) Proxy.newProxyInstance(
                Storage.class.getClassLoader(), new Class<?>[] {Storage.class}, new TimedStorage(storage, registry));
    }

    /** {@code read}, {@code list} or {@code write}, from a repository method's name. */
    static String operation(String method) {
        if (method.startsWith("list") || method.equals("versions")) {
            return "list";
        }
        if (method.startsWith("find") || method.equals("rootKeyCheck") || method.equals("holdsSealedData")) {
            return "read";
        }
        return "write";
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return objectMethod(proxy, method, args);
        }
        Object result = call(storage, method, args);
        if (method.getParameterCount() == 0
                && REPOSITORIES.contains(method.getName())
                && method.getReturnType().isInterface()) {
            String name = method.getName();
            return repositories.computeIfAbsent(name, n -> timed(n, method.getReturnType(), result));
        }
        return result;
    }

    private Object objectMethod(Object proxy, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "timed " + storage;
            default -> call(storage, method, args);
        };
    }

    private Object timed(String repository, Class<?> type, Object target) {
        Map<String, Timer> timers = new ConcurrentHashMap<>();
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals")
                        ? Boolean.valueOf(proxy == args[0])
                        : method.getName().equals("hashCode")
                                ? Integer.valueOf(System.identityHashCode(proxy))
                                : call(target, method, args);
            }
            String operation = operation(method.getName());
            Timer timer = timers.computeIfAbsent(operation, op -> timer(repository, op));
            long start = System.nanoTime();
            try {
                return call(target, method, args);
            } finally {
                timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    private Timer timer(String repository, String operation) {
        return Timer.builder("openkms.storage.operation")
                .description("Time of a storage call by repository and kind (read, list, write)")
                .tag("repository", repository)
                .tag("operation", operation)
                .serviceLevelObjectives(RequestMetrics.BUCKETS)
                .register(registry);
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
