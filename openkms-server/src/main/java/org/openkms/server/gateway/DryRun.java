package org.openkms.server.gateway;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an action treats Alibaba's DryRun parameter. {@link #NONE}: the parameter is ignored and the call
 * performed. {@link #check(Consumer)}: after the declared fields are validated and the call is authorised, the
 * gateway runs the check (which must fail exactly where the real call would, e.g. a disabled key or a wrong
 * EncryptionContext) and then answers DryRunOperation without running the handler.
 */
public final class DryRun {
    /** DryRun is not a parameter of this action: it is ignored. */
    public static final DryRun NONE = new DryRun(null);
    /** DryRun answers DryRunOperation once the declared fields are valid and the call is authorised. */
    public static final DryRun VALIDATE = new DryRun(c -> {});

    private final Consumer<Call> check;

    private DryRun(Consumer<Call> check) {
        this.check = check;
    }

    public static DryRun check(Consumer<Call> check) {
        return new DryRun(Objects.requireNonNull(check));
    }

    boolean supported() {
        return check != null;
    }

    void run(Call call) {
        check.accept(call);
    }
}
