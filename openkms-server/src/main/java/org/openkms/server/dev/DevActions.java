package org.openkms.server.dev;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.ApiProduct;
import org.openkms.server.gateway.Operation;
import org.openkms.server.gateway.Targets;

/**
 * The actions only a {@code --dev} server has, as an API product of their own (version {@value #VERSION}): they go
 * through the gateway like every call, so they are signed, throttled and audited, and only the administrator (the
 * root AccessKey) may call them. Not part of any Alibaba API.
 */
public final class DevActions {
    public static final String VERSION = "openkms-dev";
    /**
     * The administrator AccessKey of every dev server: fixed and printed, like {@code vault server -dev}'s root
     * token, so that scripts and the CLI ({@code openkms dev clock}) need no setup. Never use it elsewhere.
     */
    public static final String DEV_ACCESS_KEY_ID = "LTAIOpenKmsDevRootKey00";

    public static final String DEV_ACCESS_KEY_SECRET = "OpenKmsDevSecret0NotForProduction";

    private DevActions() {}

    /**
     * {@code AdvanceClock} ({@code Duration}: {@code +7d}, {@code 90s}, {@code PT1H}...) moves the domain clock
     * forward and then runs the due jobs at once; {@code GetClock} tells the time. Both answer {@code Now} (ISO-8601)
     * and {@code OffsetSeconds}.
     *
     * @param duration parses a duration as the configuration does
     * @param runDue   runs key and secret maintenance (deletions, rotations) now
     */
    public static ApiProduct product(
            DevClock clock, java.util.function.Function<String, Duration> duration, Runnable runDue) {
        ActionRegistry r = new ActionRegistry();
        r.register(Operation.named("AdvanceClock").targets(Targets.NONE).handle(c -> {
            rootOnly(c.principal().root());
            String d = c.params().optional("Duration");
            if (d == null || d.isBlank()) {
                throw Errors.missingParameter("Duration");
            }
            String t = d.trim().startsWith("+") ? d.trim().substring(1) : d.trim();
            try {
                clock.advance(duration.apply(t));
            } catch (IllegalArgumentException e) {
                throw Errors.invalidParameter("Duration", e.getMessage());
            }
            runDue.run();
            return now(clock);
        }));
        r.register(Operation.named("GetClock").targets(Targets.NONE).handle(c -> {
            rootOnly(c.principal().root());
            return now(clock);
        }));
        return new ApiProduct(VERSION, "OpenKmsDev", "openkms-dev", r, (a, p) -> List.of(), "Forbidden.NoPermission");
    }

    private static void rootOnly(boolean root) {
        if (!root) {
            throw new KmsException(
                    403, "Forbidden.NoPermission", "Only the administrator AccessKey may use the dev clock.");
        }
    }

    private static Map<String, Object> now(DevClock clock) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Now", clock.instant().toString());
        m.put("OffsetSeconds", clock.offset().toSeconds());
        return m;
    }
}
