package org.openkms.server.gateway;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A typed request parameter, declared once and reused by every action that takes it (the way Vault declares
 * a path's fields): its name as on the wire ({@code KeyId}) and how it is read from {@link Params}, with the
 * MissingParameter / InvalidParameter answer an Alibaba client expects. A call reads a field with
 * {@link Call#get(Field)}; the value is parsed once per call.
 */
public final class Field<T> {
    private final String name;
    private final Function<Params, T> parser;

    private Field(String name, Function<Params, T> parser) {
        this.name = Objects.requireNonNull(name);
        this.parser = Objects.requireNonNull(parser);
    }

    /** A field with its own parsing (an enum, a computed default); {@code parser} must fail with Alibaba's codes. */
    public static <T> Field<T> of(String name, Function<Params, T> parser) {
        return new Field<>(name, parser);
    }

    /** Present and non-empty, else MissingParameter. */
    public static Field<String> required(String name) {
        return new Field<>(name, p -> p.required(name));
    }

    /** The raw value, or null when absent. */
    public static Field<String> optional(String name) {
        return new Field<>(name, p -> p.optional(name));
    }

    /** Required Base64 bytes, else MissingParameter / InvalidParameter "It must be Base64 encoded.". */
    public static Field<byte[]> base64(String name) {
        return new Field<>(name, p -> p.base64(name));
    }

    /** A map of strings: a JSON object, or flattened {@code Name.<key>} parameters; empty when absent. */
    public static Field<Map<String, String>> stringMap(String name) {
        return new Field<>(name, p -> p.stringMap(name));
    }

    /** An optional integer in [min, max], else {@code defaultValue}. */
    public static Field<Integer> integer(String name, int defaultValue, int min, int max) {
        return new Field<>(name, p -> p.integer(name, defaultValue, min, max));
    }

    /** A required integer in [min, max]. */
    public static Field<Integer> requiredInteger(String name, int min, int max) {
        return new Field<>(name, p -> p.requiredInteger(name, min, max));
    }

    /** A required {@code true} / {@code false}. */
    public static Field<Boolean> requiredBool(String name) {
        return new Field<>(name, p -> p.requiredBool(name));
    }

    /** An optional {@code true} / {@code false}, else {@code defaultValue}. */
    public static Field<Boolean> bool(String name, boolean defaultValue) {
        return new Field<>(name, p -> p.bool(name, defaultValue));
    }

    public String name() {
        return name;
    }

    T parse(Params params) {
        return parser.apply(params);
    }

    @Override
    public String toString() {
        return name;
    }
}
