package dev.imagegov.data.fetch;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides whether image data may be fetched from a URI: Glance's {@code [import_filtering_opts]}
 * ({@code allowed_schemes}, {@code disallowed_schemes}, {@code allowed_hosts}, {@code
 * disallowed_hosts}, {@code allowed_ports}, {@code disallowed_ports}) plus the address rules of
 * Glance master and Debian's security backports. Immutable and thread-safe.
 *
 * <p>The rules, in order (the first that fails refuses the URI with {@link
 * RuleCode#URI_NOT_ALLOWED}):
 *
 * <ol>
 *   <li><b>Scheme</b>: present; in {@code allowedSchemes} when that is non-empty, else not in
 *       {@code disallowedSchemes}. Defaults: {@code http}, {@code https}.
 *   <li><b>Host</b>: present, without user info or an IPv6 zone; an IPv4 literal only in canonical
 *       dotted-quad form: numeric shorthands such as {@code 2130706433}, {@code 0x7f.1}, {@code
 *       127.1} or {@code 0177.0.0.1} are refused (as master's {@code normalize_hostname} does);
 *       then in {@code allowedHosts} when that is non-empty, else not in {@code disallowedHosts}.
 *       Hosts are compared case-insensitively, without a trailing dot, IP literals in canonical
 *       form.
 *   <li><b>Port</b>: only when the URI names one (a URI without a port always passes, as in
 *       Glance): in {@code allowedPorts} when that is non-empty, else not in {@code
 *       disallowedPorts}. Defaults: 80, 443.
 *   <li><b>Addresses</b> (unless {@link Builder#allowSpecialAddresses}): the host is resolved and
 *       <em>every</em> address must be an ordinary public one: not loopback, private, link-local,
 *       unspecified, multicast, a metadata service, or another special range (see {@code
 *       SpecialAddresses}). A host listed in {@code allowedHosts} is trusted as the deployer's
 *       explicit choice and is not resolved (as in Debian's backport).
 * </ol>
 *
 * <p>A fetcher applies the guard to the URI and to every redirect target. {@link #check} returns
 * the resolved addresses; a fetcher that can connect to one of them pins the connection to what
 * was checked.
 */
public final class UriGuard {
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
          + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("0x[0-9a-f]*|[0-9]+");

  private final ImmutableSet<String> allowedSchemes;
  private final ImmutableSet<String> disallowedSchemes;
  private final ImmutableSet<String> allowedHosts;
  private final ImmutableSet<String> disallowedHosts;
  private final ImmutableSet<Integer> allowedPorts;
  private final ImmutableSet<Integer> disallowedPorts;
  private final boolean allowSpecialAddresses;
  private final HostResolver resolver;

  private UriGuard(Builder b) {
    this.allowedSchemes = b.allowedSchemes;
    this.disallowedSchemes = b.disallowedSchemes;
    this.allowedHosts = b.allowedHosts;
    this.disallowedHosts = b.disallowedHosts;
    this.allowedPorts = b.allowedPorts;
    this.disallowedPorts = b.disallowedPorts;
    this.allowSpecialAddresses = b.allowSpecialAddresses;
    this.resolver = b.resolver;
  }

  /** {@return Glance's defaults: schemes http and https, ports 80 and 443, no special addresses} */
  public static UriGuard defaults() {
    return builder().build();
  }

  /** {@return a builder starting from {@link #defaults()}} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks {@code uri} and answers the addresses its host resolved to (empty for a host listed in
   * {@code allowedHosts}, which is not resolved, or when special addresses are allowed).
   *
   * @param uri the URI to check
   * @return the addresses the host resolved to, all of them allowed
   * @throws GovernanceException {@link RuleCode#URI_NOT_ALLOWED} naming the rule that refused it
   */
  public ImmutableList<InetAddress> check(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.isEmpty()) {
      throw refused(uri, "it has no scheme");
    }
    if (!passes(scheme, allowedSchemes, disallowedSchemes)) {
      throw refused(uri, "scheme " + scheme + " is not allowed");
    }
    if (uri.getRawUserInfo() != null) {
      throw refused(uri, "it carries user information");
    }
    String host = normalizeHost(uri);
    if (!passes(host, allowedHosts, disallowedHosts)) {
      throw refused(uri, "host " + host + " is not allowed");
    }
    if (uri.getPort() != -1 && !passes(uri.getPort(), allowedPorts, disallowedPorts)) {
      throw refused(uri, "port " + uri.getPort() + " is not allowed");
    }
    if (allowSpecialAddresses || allowedHosts.contains(host)) {
      return ImmutableList.of();
    }
    List<InetAddress> addresses;
    try {
      addresses = isLiteral(host) ? List.of(InetAddress.getByName(host)) : resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw GovernanceException.of(RuleCode.URI_NOT_ALLOWED,
          "URI " + redact(uri) + " is not allowed: host " + host + " does not resolve", e);
    }
    if (addresses.isEmpty()) {
      throw refused(uri, "host " + host + " does not resolve");
    }
    for (InetAddress address : addresses) {
      Optional<String> reason = SpecialAddresses.reason(address);
      if (reason.isPresent()) {
        throw refused(uri, "host " + host + " resolves to " + address.getHostAddress()
            + ", " + reason.get());
      }
    }
    return ImmutableList.copyOf(addresses);
  }

  /**
   * {@return whether {@link #check} accepts {@code uri}}
   *
   * @param uri the URI to check
   */
  public boolean allows(URI uri) {
    try {
      check(uri);
      return true;
    } catch (GovernanceException e) {
      return false;
    }
  }

  private static <T> boolean passes(T value, ImmutableSet<T> allowed, ImmutableSet<T> denied) {
    return allowed.isEmpty() ? !denied.contains(value) : allowed.contains(value);
  }

  private static String normalizeHost(URI uri) {
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw refused(uri, "it has no valid host");
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      if (host.contains("%")) {
        throw refused(uri, "IPv6 zone identifiers are not allowed");
      }
      return canonicalLiteral(uri, host.substring(1, host.length() - 1));
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (DOTTED_QUAD.matcher(host).matches()) {
      return canonicalLiteral(uri, host);
    }
    String[] labels = host.split("\\.", -1);
    if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
      throw refused(uri, "host " + host + " is a numeric shorthand, not a canonical address");
    }
    return host;
  }

  /** Whether a normalised host is an IP literal (so resolving it asks no DNS). */
  private static boolean isLiteral(String host) {
    return host.contains(":") || DOTTED_QUAD.matcher(host).matches();
  }

  private static String canonicalLiteral(URI uri, String literal) {
    try {
      return InetAddress.getByName(literal).getHostAddress();
    } catch (UnknownHostException e) {
      throw refused(uri, "host " + literal + " is not a valid IP address");
    }
  }

  /** Normalises a configured host the way {@link #normalizeHost} normalises a URI's. */
  private static String configuredHost(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.contains(":") || DOTTED_QUAD.matcher(h).matches()) {
      try {
        return InetAddress.getByName(h).getHostAddress();
      } catch (UnknownHostException e) {
        throw new ConfigurationException(
            "Import filtering host " + host + " is not a valid IP address");
      }
    }
    return h;
  }

  /**
   * {@return the URI without user info, query or fragment, for messages (secrets stay out of logs)}
   *
   * @param uri the URI to check
   */
  public static String redact(URI uri) {
    StringBuilder s = new StringBuilder();
    if (uri.getScheme() != null) {
      s.append(uri.getScheme()).append(':');
    }
    if (uri.getRawAuthority() != null) {
      String authority = uri.getRawAuthority();
      s.append("//").append(authority.substring(authority.lastIndexOf('@') + 1));
    }
    if (uri.getRawPath() != null) {
      s.append(uri.getRawPath());
    }
    return s.toString();
  }

  private static GovernanceException refused(URI uri, String why) {
    return GovernanceException.of(RuleCode.URI_NOT_ALLOWED,
        "URI " + redact(uri) + " is not allowed: " + why);
  }

  /** Builds a {@link UriGuard}; starts from Glance's defaults. Not thread-safe. */
  public static final class Builder {
    private ImmutableSet<String> allowedSchemes = ImmutableSet.of("http", "https");
    private ImmutableSet<String> disallowedSchemes = ImmutableSet.of();
    private ImmutableSet<String> allowedHosts = ImmutableSet.of();
    private ImmutableSet<String> disallowedHosts = ImmutableSet.of();
    private ImmutableSet<Integer> allowedPorts = ImmutableSet.of(80, 443);
    private ImmutableSet<Integer> disallowedPorts = ImmutableSet.of();
    private boolean allowSpecialAddresses;
    private HostResolver resolver = HostResolver.system();

    private Builder() {}

    /**
     * {@code allowed_schemes}; when non-empty, {@code disallowed_schemes} is ignored.
     *
     * @param schemes the only schemes accepted
     * @return this builder, for chaining
     */
    public Builder allowedSchemes(Collection<String> schemes) {
      this.allowedSchemes = lower(schemes);
      return this;
    }

    /**
     * {@code disallowed_schemes}, used only when {@code allowed_schemes} is empty.
     *
     * @param schemes the schemes refused
     * @return this builder, for chaining
     */
    public Builder disallowedSchemes(Collection<String> schemes) {
      this.disallowedSchemes = lower(schemes);
      return this;
    }

    /**
     * {@code allowed_hosts}; when non-empty, {@code disallowed_hosts} is ignored, and a listed
     * host is trusted without the address rules.
     *
     * @param hosts the only hosts accepted
     * @return this builder, for chaining
     */
    public Builder allowedHosts(Collection<String> hosts) {
      this.allowedHosts = hosts.stream().map(UriGuard::configuredHost)
          .collect(ImmutableSet.toImmutableSet());
      return this;
    }

    /**
     * {@code disallowed_hosts}, used only when {@code allowed_hosts} is empty.
     *
     * @param hosts the hosts refused
     * @return this builder, for chaining
     */
    public Builder disallowedHosts(Collection<String> hosts) {
      this.disallowedHosts = hosts.stream().map(UriGuard::configuredHost)
          .collect(ImmutableSet.toImmutableSet());
      return this;
    }

    /**
     * {@code allowed_ports}; when non-empty, {@code disallowed_ports} is ignored.
     *
     * @param ports the only ports accepted
     * @return this builder, for chaining
     */
    public Builder allowedPorts(Collection<Integer> ports) {
      this.allowedPorts = ImmutableSet.copyOf(ports);
      return this;
    }

    /**
     * {@code disallowed_ports}, used only when {@code allowed_ports} is empty.
     *
     * @param ports the ports refused
     * @return this builder, for chaining
     */
    public Builder disallowedPorts(Collection<Integer> ports) {
      this.disallowedPorts = ImmutableSet.copyOf(ports);
      return this;
    }

    /**
     * Turns off the address rules (Glance 25.1.0 upstream behaviour, which accepted {@code
     * http://127.0.0.1/}). Not recommended.
     *
     * @param allow true to accept loopback, private and other special addresses
     * @return this builder, for chaining
     */
    public Builder allowSpecialAddresses(boolean allow) {
      this.allowSpecialAddresses = allow;
      return this;
    }

    /**
     * {@return the resolver for host names (default: the system resolver)}
     *
     * @param resolver resolves host names to addresses
     */
    public Builder resolver(HostResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** {@return the guard} */
    public UriGuard build() {
      return new UriGuard(this);
    }

    private static ImmutableSet<String> lower(Collection<String> values) {
      return values.stream().map(v -> v.strip().toLowerCase(Locale.ROOT))
          .collect(ImmutableSet.toImmutableSet());
    }
  }
}
