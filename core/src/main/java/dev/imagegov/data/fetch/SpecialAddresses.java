package dev.imagegov.data.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Addresses a fetch must not reach by default, with the reason. IPv4: this network (0/8),
 * private (10/8, 172.16/12, 192.168/16), shared CGN space (100.64/10), loopback (127/8),
 * link-local (169.254/16, including the 169.254.169.254 metadata service), IETF protocol
 * assignments (192.0.0/24), benchmarking (198.18/15), multicast (224/4), reserved and broadcast
 * (240/4). IPv6: unspecified, loopback, link-local (fe80::/10), site-local (fec0::/10), unique
 * local (fc00::/7, including the fd00:ec2::254 metadata service), multicast (ff00::/8), discard
 * (100::/64), and any IPv4 address embedded as IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96)
 * or 6to4 (2002::/16), judged by the IPv4 rules.
 */
final class SpecialAddresses {
  private SpecialAddresses() {}

  static Optional<String> reason(InetAddress address) {
    if (address instanceof Inet4Address) {
      return reason4(address.getAddress());
    }
    if (address instanceof Inet6Address) {
      return reason6(address.getAddress());
    }
    return Optional.of("not an IP address");
  }

  private static Optional<String> reason4(byte[] a) {
    int b0 = a[0] & 0xFF;
    int b1 = a[1] & 0xFF;
    int b2 = a[2] & 0xFF;
    if (b0 == 169 && b1 == 254 && b2 == 169 && (a[3] & 0xFF) == 254) {
      return Optional.of("the metadata service address");
    }
    if (b0 == 0) {
      return Optional.of("an unspecified (this-network) address");
    }
    if (b0 == 127) {
      return Optional.of("a loopback address");
    }
    if (b0 == 10 || (b0 == 172 && (b1 & 0xF0) == 16) || (b0 == 192 && b1 == 168)) {
      return Optional.of("a private address");
    }
    if (b0 == 100 && (b1 & 0xC0) == 64) {
      return Optional.of("a shared (carrier-grade NAT) address");
    }
    if (b0 == 169 && b1 == 254) {
      return Optional.of("a link-local address");
    }
    if (b0 == 192 && b1 == 0 && b2 == 0) {
      return Optional.of("an IETF protocol-assignment address");
    }
    if (b0 == 198 && (b1 & 0xFE) == 18) {
      return Optional.of("a benchmarking address");
    }
    if ((b0 & 0xF0) == 224) {
      return Optional.of("a multicast address");
    }
    if ((b0 & 0xF0) == 240) {
      return Optional.of("a reserved or broadcast address");
    }
    return Optional.empty();
  }

  private static Optional<String> reason6(byte[] a) {
    boolean zeroTo10 = true;
    for (int i = 0; i < 10; i++) {
      zeroTo10 &= a[i] == 0;
    }
    if (zeroTo10 && a[10] == 0 && a[11] == 0) {
      boolean zero = true;
      for (int i = 12; i < 15; i++) {
        zero &= a[i] == 0;
      }
      if (zero && a[15] == 0) {
        return Optional.of("the unspecified address");
      }
      if (zero && a[15] == 1) {
        return Optional.of("a loopback address");
      }
      return embedded(a, 12, "IPv4-compatible");
    }
    if (zeroTo10 && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF) {
      return embedded(a, 12, "IPv4-mapped");
    }
    int w0 = ((a[0] & 0xFF) << 8) | (a[1] & 0xFF);
    if (w0 == 0x0064 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B) {
      boolean zero = true;
      for (int i = 4; i < 12; i++) {
        zero &= a[i] == 0;
      }
      if (zero) {
        return embedded(a, 12, "NAT64");
      }
    }
    if (w0 == 0x2002) {
      return embedded(a, 2, "6to4");
    }
    if ((w0 & 0xFFC0) == 0xFE80) {
      return Optional.of("a link-local address");
    }
    if ((w0 & 0xFFC0) == 0xFEC0) {
      return Optional.of("a site-local address");
    }
    if ((w0 & 0xFE00) == 0xFC00) {
      boolean metadata = w0 == 0xFD00 && a[2] == 0x0E && (a[3] & 0xFF) == 0xC2;
      for (int i = 4; i < 14 && metadata; i++) {
        metadata = a[i] == 0;
      }
      metadata &= a[14] == 0x02 && (a[15] & 0xFF) == 0x54;
      return Optional.of(metadata ? "the metadata service address" : "a unique local address");
    }
    if ((w0 & 0xFF00) == 0xFF00) {
      return Optional.of("a multicast address");
    }
    if (w0 == 0x0100 && a[2] == 0 && a[3] == 0 && a[4] == 0 && a[5] == 0 && a[6] == 0
        && a[7] == 0) {
      return Optional.of("a discard-only address");
    }
    return Optional.empty();
  }

  private static Optional<String> embedded(byte[] a, int at, String kind) {
    byte[] v4 = {a[at], a[at + 1], a[at + 2], a[at + 3]};
    String dotted = (v4[0] & 0xFF) + "." + (v4[1] & 0xFF) + "." + (v4[2] & 0xFF) + "."
        + (v4[3] & 0xFF);
    return reason4(v4).map(r -> r + " (" + kind + " " + dotted + ")");
  }
}
