package app.backbone.gateway.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** One IP address or CIDR range ({@code 10.0.0.0/8}, {@code ::1}), matched without any DNS lookup. */
public record AddressRange(byte[] network, int prefixLength) {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    public static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literalBytes(address);
        if (bytes == null) {
            throw new IllegalArgumentException("Not an IP address or CIDR range: " + text);
        }
        int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("Bad prefix length in " + text);
        }
        return new AddressRange(bytes, prefix);
    }

    public boolean contains(String address) {
        byte[] candidate = literalBytes(address);
        if (candidate == null || candidate.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        if (!Arrays.equals(Arrays.copyOf(candidate, fullBytes), Arrays.copyOf(network, fullBytes))) {
            return false;
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = 0xFF << (8 - remainingBits);
        return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    /** The address bytes of an IP literal, or null for anything else (so a host name never triggers a lookup). */
    static byte[] literalBytes(String address) {
        if (address == null) {
            return null;
        }
        String bare = address.trim();
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        if (bare.isEmpty() || !IP_LITERAL.matcher(bare).matches()) {
            return null;
        }
        if (bare.indexOf(':') < 0 && bare.chars().filter(c -> c == '.').count() != 3) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(bare).getAddress();
            return normalise(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is compared as the IPv4 address it carries.
    private static byte[] normalise(byte[] bytes) {
        if (bytes.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= bytes[i] == 0;
            }
            mapped &= bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
            if (mapped) {
                return Arrays.copyOfRange(bytes, 12, 16);
            }
        }
        return bytes;
    }
}
