package org.openkms.core.iam;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code "Operator": {"key": [values]}} entry of a statement's Condition block, compiled: values are
 * parsed once (CIDRs to masks, dates to millis). A key with several values matches if any value matches; the
 * negated operators (StringNotEquals, NotIpAddress, …) match if none does. A key the request does not carry
 * fails the condition, as on RAM.
 */
public final class Condition {
    private final String operator;
    private final String key;
    private final List<String> values;
    private final Op op;
    private final boolean negated;
    private final List<Wildcard> likes = new ArrayList<>();
    private final List<Cidr> cidrs = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();

    private enum Op {
        STRING_EQ,
        STRING_EQ_IC,
        STRING_LIKE,
        IP,
        DATE_EQ,
        DATE_LT,
        DATE_LE,
        DATE_GT,
        DATE_GE,
        BOOL
    }

    /** @throws IllegalArgumentException for an unknown operator or a value it cannot take (MalformedPolicyDocument) */
    public Condition(String operator, String key, List<String> values) {
        this.operator = operator;
        this.key = key;
        this.values = List.copyOf(values);
        String o = operator.toLowerCase(Locale.ROOT);
        switch (o) {
            case "stringequals" -> {
                op = Op.STRING_EQ;
                negated = false;
            }
            case "stringnotequals" -> {
                op = Op.STRING_EQ;
                negated = true;
            }
            case "stringequalsignorecase" -> {
                op = Op.STRING_EQ_IC;
                negated = false;
            }
            case "stringnotequalsignorecase" -> {
                op = Op.STRING_EQ_IC;
                negated = true;
            }
            case "stringlike" -> {
                op = Op.STRING_LIKE;
                negated = false;
            }
            case "stringnotlike" -> {
                op = Op.STRING_LIKE;
                negated = true;
            }
            case "ipaddress" -> {
                op = Op.IP;
                negated = false;
            }
            case "notipaddress" -> {
                op = Op.IP;
                negated = true;
            }
            case "dateequals" -> {
                op = Op.DATE_EQ;
                negated = false;
            }
            case "datenotequals" -> {
                op = Op.DATE_EQ;
                negated = true;
            }
            case "datelessthan" -> {
                op = Op.DATE_LT;
                negated = false;
            }
            case "datelessthanequals" -> {
                op = Op.DATE_LE;
                negated = false;
            }
            case "dategreaterthan" -> {
                op = Op.DATE_GT;
                negated = false;
            }
            case "dategreaterthanequals" -> {
                op = Op.DATE_GE;
                negated = false;
            }
            case "bool" -> {
                op = Op.BOOL;
                negated = false;
            }
            default -> throw new IllegalArgumentException("Unsupported condition operator " + operator + ".");
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Condition " + operator + " on " + key + " has no values.");
        }
        for (String v : values) {
            switch (op) {
                case STRING_LIKE -> likes.add(new Wildcard(v, false));
                case IP -> cidrs.add(Cidr.parse(v));
                case DATE_EQ, DATE_LT, DATE_LE, DATE_GT, DATE_GE -> times.add(date(v));
                case BOOL -> {
                    if (!"true".equalsIgnoreCase(v) && !"false".equalsIgnoreCase(v)) {
                        throw new IllegalArgumentException("Bool condition values must be true or false.");
                    }
                }
                default -> {}
            }
        }
    }

    public String operator() {
        return operator;
    }

    public String key() {
        return key;
    }

    public List<String> values() {
        return values;
    }

    public boolean matches(AccessRequest request) {
        String actual = actual(request);
        if (actual == null) {
            return false;
        }
        boolean any = false;
        for (int i = 0; i < values.size() && !any; i++) {
            any = matchOne(i, actual);
        }
        return negated != any;
    }

    private boolean matchOne(int i, String actual) {
        return switch (op) {
            case STRING_EQ -> values.get(i).equals(actual);
            case STRING_EQ_IC -> values.get(i).equalsIgnoreCase(actual);
            case STRING_LIKE -> likes.get(i).matches(actual);
            case BOOL -> values.get(i).equalsIgnoreCase(actual);
            case IP -> cidrs.get(i).contains(actual);
            default -> compareTime(times.get(i), actual);
        };
    }

    private boolean compareTime(long bound, String actual) {
        long t = Long.parseLong(actual);
        return switch (op) {
            case DATE_EQ -> t == bound;
            case DATE_LT -> t < bound;
            case DATE_LE -> t <= bound;
            case DATE_GT -> t > bound;
            default -> t >= bound;
        };
    }

    private String actual(AccessRequest r) {
        String k = key.toLowerCase(Locale.ROOT);
        switch (k) {
            case "acs:sourceip":
                return r.sourceIp();
            case "acs:securetransport":
                return Boolean.toString(r.secureTransport());
            case "acs:currenttime":
                return Long.toString(r.timeMillis());
            default:
                if (k.startsWith("kms:tag/")) {
                    return r.resourceTags().get().get(key.substring("kms:tag/".length()));
                }
                return r.context().get(k);
        }
    }

    private static long date(String v) {
        try {
            return OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "Date condition values must be ISO 8601 with an offset, e.g. 2026-01-01T00:00:00Z.");
        }
    }

    /** A dotted IPv4 address as an unsigned int, or -1 (IPv4-mapped IPv6 forms are unwrapped). */
    static long ipv4(String s) {
        if (s.startsWith("::ffff:")) {
            s = s.substring(7);
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long ip = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) {
                return -1;
            }
            int n;
            try {
                n = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                return -1;
            }
            if (n > 255) {
                return -1;
            }
            ip = (ip << 8) | n;
        }
        return ip;
    }
}
