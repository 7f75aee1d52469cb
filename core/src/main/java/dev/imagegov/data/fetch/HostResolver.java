package dev.imagegov.data.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves a host name to its addresses for the {@link UriGuard}. The default is the system
 * resolver; tests and deployments with their own DNS plug in another. Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface HostResolver {

  /**
   * Every address {@code host} resolves to.
   *
   * @param host a host name or literal address
   * @return every address {@code host} resolves to
   * @throws UnknownHostException if it resolves to none
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** {@return the system resolver ({@link InetAddress#getAllByName})} */
  static HostResolver system() {
    return host -> Arrays.asList(InetAddress.getAllByName(host));
  }
}
