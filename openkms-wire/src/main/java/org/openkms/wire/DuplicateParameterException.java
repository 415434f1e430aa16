package org.openkms.wire;

/**
 * A request names one parameter twice: twice in its query string or form body, or once in each. Which value the
 * signer meant and which one a layer would act on could then differ (one layer keeping the first, another the
 * last, a third preferring the query), so such a request is refused rather than resolved. Flattened members
 * ({@code Name.1}, {@code Name.2}) are distinct names, not duplicates.
 */
public final class DuplicateParameterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String name;

    public DuplicateParameterException(String name) {
        super("parameter given more than once");
        this.name = name;
    }

    /** The decoded name that appears more than once. */
    public String name() {
        return name;
    }
}
