package org.openkms.core;

import java.security.SecureRandom;
import java.util.UUID;
import org.openkms.crypto.SecureRandoms;

/**
 * Identifier formats of the API, as the reference pages' examples show them (e.g.
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createkey).
 */
public final class Ids {
    private static final char[] ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Ids() {}

    /** {@code key-} + a 3-letter region tag + 18 lowercase alphanumerics, the shape of Alibaba's key IDs. */
    public static String newKeyId(String region) {
        StringBuilder sb = new StringBuilder("key-").append(regionTag(region));
        SecureRandom r = SecureRandoms.current();
        for (int i = 0; i < 18; i++) {
            sb.append(ALNUM[r.nextInt(ALNUM.length)]);
        }
        return sb.toString();
    }

    /**
     * {@code kst-} + the region tag + 18 lowercase alphanumerics: the shape of Alibaba's KMS instance IDs
     * (e.g. kst-hzz65f176a0ogplgq****, https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-getkmsinstance).
     */
    public static String newInstanceId(String region) {
        return "kst-" + newKeyId(region).substring(4);
    }

    /** Key version IDs are UUIDs: exactly 36 ASCII characters, as the ciphertext header requires. */
    public static String newVersionId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Request IDs need uniqueness, not secrecy: they come from ThreadLocalRandom, because UUID.randomUUID()
     * draws from one shared SecureRandom whose lock every request thread would queue on.
     */
    public static String newRequestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(hi, lo).toString().toUpperCase(java.util.Locale.ROOT);
    }

    /** cn-hangzhou → hzz (as Alibaba's IDs show), otherwise the first three letters of the region's city part. */
    static String regionTag(String region) {
        if ("cn-hangzhou".equals(region)) {
            return "hzz";
        }
        String[] parts = region.split("-");
        String city = parts.length > 1 ? parts[1] : region;
        String letters = city.replaceAll("[^a-z]", "");
        return (letters + "xxx").substring(0, 3);
    }
}
