package org.openkms.core.secret;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.openkms.core.error.Errors;
import org.openkms.crypto.SecureRandoms;

/**
 * GetRandomPassword
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-getrandompassword)
 * and the passwords rotation sets on database accounts. Classes: digits, lowercase, uppercase and ASCII punctuation;
 * each can be excluded, single characters too.
 */
public final class PasswordGenerator {
    public static final String DIGITS = "0123456789";
    public static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    public static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    /**
     * Punctuation for account passwords set by rotation: nothing that needs quoting in SQL, URLs, Redis ACL
     * rules or shells, so a password can never break (or inject into) the statement that sets it.
     */
    private static final String SAFE_PUNCTUATION = "-_.~";

    private PasswordGenerator() {}

    public record Options(
            int length,
            boolean excludeLowercase,
            boolean excludeUppercase,
            boolean excludeNumbers,
            boolean excludePunctuation,
            String excludeCharacters,
            boolean requireEachIncludedType) {}

    public static String generate(Options o) {
        if (o.length() < 8 || o.length() > 128) {
            throw Errors.invalidParameter("PasswordLength", "It must be between 8 and 128.");
        }
        String excluded = o.excludeCharacters() == null ? "" : o.excludeCharacters();
        List<String> classes = new ArrayList<>();
        addClass(classes, o.excludeNumbers() ? "" : DIGITS, excluded);
        addClass(classes, o.excludeLowercase() ? "" : LOWER, excluded);
        addClass(classes, o.excludeUppercase() ? "" : UPPER, excluded);
        addClass(classes, o.excludePunctuation() ? "" : PUNCTUATION, excluded);
        if (classes.isEmpty()) {
            throw Errors.invalidParameter("The exclusions leave no characters to build a password from.");
        }
        if (o.requireEachIncludedType() && classes.size() > o.length()) {
            throw Errors.invalidParameter(
                    "PasswordLength", "It is shorter than the number of required character types.");
        }
        return build(o.length(), classes, o.requireEachIncludedType());
    }

    /** A 32-character password for a database or Redis account: letters, digits and -_.~, each class present. */
    public static String forAccount() {
        return build(32, List.of(DIGITS, LOWER, UPPER, SAFE_PUNCTUATION), true);
    }

    private static void addClass(List<String> classes, String chars, String excluded) {
        StringBuilder sb = new StringBuilder();
        for (char c : chars.toCharArray()) {
            if (excluded.indexOf(c) < 0) {
                sb.append(c);
            }
        }
        if (sb.length() > 0) {
            classes.add(sb.toString());
        }
    }

    private static String build(int length, List<String> classes, boolean eachClass) {
        SecureRandom r = SecureRandoms.current();
        String all = String.join("", classes);
        char[] out = new char[length];
        int i = 0;
        if (eachClass) {
            for (String c : classes) {
                out[i++] = c.charAt(r.nextInt(c.length()));
            }
        }
        while (i < length) {
            out[i++] = all.charAt(r.nextInt(all.length()));
        }
        for (int j = length - 1; j > 0; j--) { // shuffle so the guaranteed characters sit anywhere
            int k = r.nextInt(j + 1);
            char t = out[j];
            out[j] = out[k];
            out[k] = t;
        }
        return new String(out);
    }
}
