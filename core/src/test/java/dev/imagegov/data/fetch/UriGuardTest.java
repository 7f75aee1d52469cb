package dev.imagegov.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UriGuardTest {
  /** A resolver that never asks DNS: names resolve to fixed test addresses. */
  private static final HostResolver FAKE_DNS = host -> {
    Map<String, List<String>> table = Map.of(
        "images.example.com", List.of("93.184.216.34"),
        "dual.example.com", List.of("93.184.216.34", "2606:2800:220:1::1"),
        "rebind.example.com", List.of("93.184.216.34", "10.0.0.5"),
        "internal.example.com", List.of("192.168.1.10"),
        "metadata.example.com", List.of("169.254.169.254"),
        "v6local.example.com", List.of("fd00:ec2::254"),
        "localhost", List.of("127.0.0.1", "::1"));
    List<String> addresses = table.get(host);
    if (addresses == null) {
      throw new UnknownHostException(host);
    }
    List<InetAddress> resolved = new java.util.ArrayList<>();
    for (String a : addresses) {
      resolved.add(InetAddress.getByName(a)); // literals only: no lookup
    }
    return resolved;
  };

  private static final UriGuard DEFAULTS = UriGuard.builder().resolver(FAKE_DNS).build();

  private static GovernanceException refusal(UriGuard guard, String uri) {
    GovernanceException e =
        catchThrowableOfType(GovernanceException.class, () -> guard.check(URI.create(uri)));
    assertThat(e).as("%s must be refused", uri).isNotNull();
    assertThat(e.code()).isEqualTo(RuleCode.URI_NOT_ALLOWED);
    assertThat(e.httpStatus()).isEqualTo(400);
    return e;
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "http://images.example.com/cirros.img",
    "https://images.example.com/cirros.img",
    "HTTPS://Images.Example.COM./cirros.img",
    "http://images.example.com:80/x",
    "https://images.example.com:443/x",
    "http://dual.example.com/x",
    "http://93.184.216.34/x",
    "http://[2606:2800:220:1::1]/x",
    "http://8.8.8.8/x",
    "http://172.32.0.1/x",
    "http://100.128.0.1/x",
    "http://[::ffff:8.8.8.8]/x"
  })
  void defaultGuardAllowsPublicHttpAndHttps(String uri) {
    assertThat(DEFAULTS.allows(URI.create(uri))).as(uri).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    // loopback, literal and resolved
    "http://127.0.0.1/x", "http://127.1.2.3/x", "http://[::1]/x", "http://localhost/x",
    // private
    "http://10.0.0.1/x", "http://172.16.0.1/x", "http://172.31.255.255/x",
    "http://192.168.0.1/x", "http://[fc00::1]/x", "http://[fd12:3456::1]/x",
    "http://internal.example.com/x",
    // link-local and metadata services
    "http://169.254.0.1/x", "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/x",
    "http://[fd00:ec2::254]/x", "http://metadata.example.com/x", "http://v6local.example.com/x",
    // unspecified, multicast, broadcast, shared, reserved
    "http://0.0.0.0/x", "http://[::]/x", "http://224.0.0.1/x", "http://[ff02::1]/x",
    "http://255.255.255.255/x", "http://100.64.0.1/x", "http://240.0.0.1/x",
    "http://198.18.0.1/x", "http://192.0.0.170/x", "http://[fec0::1]/x",
    // IPv4 embedded in IPv6
    "http://[::ffff:127.0.0.1]/x", "http://[::ffff:169.254.169.254]/x",
    "http://[::127.0.0.1]/x", "http://[64:ff9b::a00:1]/x", "http://[2002:7f00:1::]/x",
    // one bad address among good ones
    "http://rebind.example.com/x"
  })
  void defaultGuardRefusesSpecialAddresses(String uri) {
    refusal(DEFAULTS, uri);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "http://2130706433/x", "http://0x7f.1/x", "http://0x7f000001/x", "http://127.1/x",
    "http://0177.0.0.1/x", "http://017700000001/x", "http://127.0.0.01/x", "http://1.2.3/x",
    "http://[fe80::1%25eth0]/x"
  })
  void numericShorthandHostsAreRefused(String uri) {
    refusal(DEFAULTS, uri);
    UriGuard open = UriGuard.builder().resolver(FAKE_DNS).allowSpecialAddresses(true).build();
    refusal(open, uri);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "ftp://images.example.com/x", "file:///etc/passwd", "gopher://images.example.com/x",
    "/relative/path", "http:///nohost", "http://user:secret@images.example.com/x",
    "http://images.example.com:8080/x", "http://images.example.com:22/x",
    "http://unknown.example.com/x", "http://under_score.example.com/x"
  })
  void defaultGuardRefusesOtherSchemesPortsAndBadHosts(String uri) {
    refusal(DEFAULTS, uri);
  }

  @Test
  void refusalNamesTheRule() {
    assertThat(refusal(DEFAULTS, "http://images.example.com:8080/x"))
        .hasMessage("URI http://images.example.com:8080/x is not allowed: port 8080 is not "
            + "allowed");
    assertThat(refusal(DEFAULTS, "http://metadata.example.com/x?token=s3cr3t"))
        .hasMessage("URI http://metadata.example.com/x is not allowed: host metadata.example.com "
            + "resolves to 169.254.169.254, the metadata service address");
  }

  @Test
  void uriWithoutPortPassesThePortLists() {
    UriGuard guard = UriGuard.builder().resolver(FAKE_DNS).allowedPorts(List.of(8443)).build();
    assertThat(guard.allows(URI.create("https://images.example.com/x"))).isTrue();
    assertThat(guard.allows(URI.create("https://images.example.com:8443/x"))).isTrue();
    assertThat(guard.allows(URI.create("https://images.example.com:443/x"))).isFalse();
  }

  @Test
  void denyListsApplyOnlyWhenAllowListsAreEmpty() {
    UriGuard guard = UriGuard.builder().resolver(FAKE_DNS)
        .allowedSchemes(List.of()).disallowedSchemes(List.of("http"))
        .allowedPorts(List.of()).disallowedPorts(List.of(8080))
        .disallowedHosts(List.of("dual.example.com"))
        .build();
    assertThat(guard.allows(URI.create("https://images.example.com:9000/x"))).isTrue();
    assertThat(guard.allows(URI.create("http://images.example.com/x"))).isFalse();
    assertThat(guard.allows(URI.create("https://images.example.com:8080/x"))).isFalse();
    assertThat(guard.allows(URI.create("https://dual.example.com/x"))).isFalse();
    UriGuard both = UriGuard.builder().resolver(FAKE_DNS)
        .allowedHosts(List.of("dual.example.com")).disallowedHosts(List.of("dual.example.com"))
        .build();
    assertThat(both.allows(URI.create("https://dual.example.com/x"))).isTrue();
    assertThat(both.allows(URI.create("https://images.example.com/x"))).isFalse();
  }

  @Test
  void explicitlyAllowedHostIsTrustedEvenOnLoopback() {
    UriGuard guard = UriGuard.builder().resolver(FAKE_DNS)
        .allowedHosts(List.of("127.0.0.1", "[::1]")).allowedPorts(List.of(8080)).build();
    assertThat(guard.check(URI.create("http://127.0.0.1:8080/x"))).isEmpty();
    assertThat(guard.allows(URI.create("http://[0:0:0:0:0:0:0:1]:8080/x"))).isTrue();
    assertThat(guard.allows(URI.create("http://localhost:8080/x"))).isFalse();
    assertThat(guard.allows(URI.create("http://127.0.0.2:8080/x"))).isFalse();
  }

  @Test
  void checkAnswersTheResolvedAddresses() throws Exception {
    assertThat(DEFAULTS.check(URI.create("http://dual.example.com/x")))
        .containsExactly(InetAddress.getByName("93.184.216.34"),
            InetAddress.getByName("2606:2800:220:1::1"));
  }

  @Test
  void systemResolverSeesThatLocalhostIsLoopback() {
    assertThat(refusal(UriGuard.defaults(), "http://localhost/x"))
        .hasMessageContaining("loopback");
  }

  @Test
  void invalidConfiguredHostLiteralIsAConfigurationError() {
    assertThatThrownBy(() -> UriGuard.builder().allowedHosts(List.of("[::zz]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is not a valid IP address");
  }
}
