package org.openkms.core.iam;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network ({@code 192.168.0.0/16}, {@code 2001:db8::/32}; a bare address is a single host) for
 * acs:SourceIp conditions and network rules. IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) count as IPv4,
 * so a rule written for IPv4 matches clients that reach a dual-stack listener.
 */
record Cidr(byte[] network, int bits) {

    static Cidr parse(String v) {
        int slash = v.indexOf('/');
        byte[] address = bytes(slash < 0 ? v : v.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("Invalid IP address or CIDR " + v + ".");
        }
        int bits;
        try {
            bits = slash < 0 ? address.length * 8 : Integer.parseInt(v.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid CIDR " + v + ".");
        }
        if (bits < 0 || bits > address.length * 8) {
            throw new IllegalArgumentException("Invalid prefix length in CIDR " + v + ".");
        }
        return new Cidr(address, bits);
    }

    boolean contains(String ip) {
        byte[] a = bytes(ip);
        if (a == null || a.length != network.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** 4 bytes for IPv4 (also when IPv4-mapped), 16 for IPv6, null for anything that is not an IP literal. */
    static byte[] bytes(String s) {
        long v4 = Condition.ipv4(s);
        if (v4 >= 0) {
            return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
        }
        // Only IPv6 literals reach InetAddress: with a ':' and hex digits only, it parses and never looks up DNS.
        if (s.indexOf(':') < 0 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(s).getAddress();
            return b.length == 16 || b.length == 4 ? b : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
