package app.backbone.common.network;

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
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bad prefix length in " + text);
        }
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
        return Arrays.equals(masked(candidate, prefixLength), masked(network, prefixLength));
    }

    /**
     * The network an address belongs to for counting purposes: an IPv4 address itself, an IPv6 address as its
     * {@code /ipv6PrefixLength} network ({@code 2001:db8:1:2::/64}), since one IPv6 host usually owns a whole /64.
     * Anything that is not an IP literal is returned unchanged.
     */
    public static String networkKey(String address, int ipv6PrefixLength) {
        byte[] bytes = literalBytes(address);
        if (bytes == null) {
            return address;
        }
        if (bytes.length == 4) {
            return format(bytes);
        }
        int prefix = Math.max(0, Math.min(128, ipv6PrefixLength));
        return format(masked(bytes, prefix)) + "/" + prefix;
    }

    /** The address bytes of an IP literal, or null for anything else (so a host name never triggers a lookup). */
    public static byte[] literalBytes(String address) {
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
        // Short IPv4 forms (127.1, a bare number) are refused: they read differently in different parsers.
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

    private static byte[] masked(byte[] bytes, int prefixLength) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefixLength - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - bitsHere)));
        }
        return out;
    }

    private static String format(byte[] bytes) {
        try {
            String text = InetAddress.getByAddress(bytes).getHostAddress();
            return bytes.length == 16 ? compress(text) : text;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // Java prints 2001:db8:0:0:0:0:0:0; the longest run of zero groups becomes "::" so one network has one spelling.
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLength && j - i > 1) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String left = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String right = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return left + "::" + right;
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
