package app.backbone.gateway.network;

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
}
