package app.backbone.common.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private final ClientAddresses behindLoadBalancer = new ClientAddresses(List.of("10.0.0.0/8", "::1"));

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        assertEquals("203.0.113.7", behindLoadBalancer.clientIp("203.0.113.7", List.of("1.2.3.4")));
    }

    @Test
    void forwardedForFromATrustedPeerNamesTheClient() {
        assertEquals("198.51.100.4", behindLoadBalancer.clientIp("10.1.2.3", List.of("198.51.100.4")));
    }

    @Test
    void spoofedLeftmostEntriesAreSkipped() {
        // The client sent "X-Forwarded-For: 1.1.1.1"; our proxy appended the address it saw.
        assertEquals("198.51.100.4", behindLoadBalancer.clientIp("10.1.2.3", List.of("1.1.1.1, 198.51.100.4")));
    }

    @Test
    void chainsOfTrustedProxiesAreWalkedFromTheRight() {
        assertEquals("198.51.100.4", behindLoadBalancer.clientIp("10.1.2.3", List.of("198.51.100.4, 10.9.9.9", "10.8.8.8")));
    }

    @Test
    void garbageInTheChainStopsTheWalk() {
        assertEquals("10.9.9.9", behindLoadBalancer.clientIp("10.1.2.3", List.of("evil-host, 10.9.9.9")));
    }

    @Test
    void forwardedProtoOnlyCountsFromATrustedPeer() {
        assertTrue(behindLoadBalancer.cameOverTls(false, "10.1.2.3", "https"));
        assertFalse(behindLoadBalancer.cameOverTls(false, "203.0.113.7", "https"));
        assertTrue(behindLoadBalancer.cameOverTls(true, "203.0.113.7", null));
        assertFalse(behindLoadBalancer.cameOverTls(false, "10.1.2.3", "http"));
    }

    @Test
    void rangesMatchOnTheirPrefixOnly() {
        AddressRange range = AddressRange.parse("192.168.4.0/22");
        assertTrue(range.contains("192.168.7.255"));
        assertFalse(range.contains("192.168.8.0"));
        assertTrue(AddressRange.parse("::1").contains("0:0:0:0:0:0:0:1"));
        assertTrue(AddressRange.parse("127.0.0.1").contains("::ffff:127.0.0.1"));
        assertFalse(range.contains("not-an-ip"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("example.com"));
    }
    @Test
    void everyForwardedForHeaderIsWalkedLastFirst() {
        // Two headers: the client's own (forgeable) and the one our proxy added; only the proxy's counts.
        assertEquals("198.51.100.4", behindLoadBalancer.clientIp("10.1.2.3", List.of("52.31.139.75", "198.51.100.4")));
        assertEquals("198.51.100.4", behindLoadBalancer.clientIp("10.1.2.3", List.of("52.31.139.75", "198.51.100.4, 10.0.0.5")));
    }

    @Test
    void noForwardedForFromATrustedPeerMeansThePeer() {
        assertEquals("10.1.2.3", behindLoadBalancer.clientIp("10.1.2.3", List.of()));
    }

    @Test
    void onlyTrustedHopsFallBackToTheLeftmost() {
        assertEquals("10.4.4.4", behindLoadBalancer.clientIp("10.1.2.3", List.of("10.4.4.4, 10.5.5.5")));
    }

    @Test
    void ipv4MappedIpv6PeersAreTrustedAsTheirIpv4Address() {
        assertEquals("198.51.100.4", behindLoadBalancer.clientIp("::ffff:10.1.2.3", List.of("198.51.100.4")));
    }

    @Test
    void shortIpv4FormsAreNotAddresses() {
        assertFalse(AddressRange.parse("127.0.0.0/8").contains("127.1"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.1"));
        assertEquals("10.9.9.9", behindLoadBalancer.clientIp("10.1.2.3", List.of("127.1, 10.9.9.9")));
    }

    @Test
    void malformedRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/x"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("::/129"));
    }

    @Test
    void ipv6RangesMatchOnTheirPrefix() {
        AddressRange range = AddressRange.parse("2001:db8:1:2::/64");
        assertTrue(range.contains("2001:db8:1:2:ffff:1:2:3"));
        assertFalse(range.contains("2001:db8:1:3::1"));
        assertFalse(range.contains("192.0.2.1"));
    }

    @Test
    void ipv4AddressesAreTheirOwnNetworkKey() {
        assertEquals("203.0.113.7", AddressRange.networkKey("203.0.113.7", 64));
        assertEquals("203.0.113.7", AddressRange.networkKey("::ffff:203.0.113.7", 64));
    }

    @Test
    void ipv6AddressesInOneSlash64ShareANetworkKey() {
        String a = AddressRange.networkKey("2001:db8:1:2::1", 64);
        String b = AddressRange.networkKey("2001:db8:1:2:abcd:ef01:2345:6789", 64);
        String other = AddressRange.networkKey("2001:db8:1:3::1", 64);
        assertEquals("2001:db8:1:2::/64", a);
        assertEquals(a, b);
        assertFalse(a.equals(other));
        assertEquals("2001:db8:1:2::1/128", AddressRange.networkKey("2001:db8:1:2::1", 128));
        assertEquals("2001:db8::/48", AddressRange.networkKey("2001:db8:0:9::1", 48));
    }
}
