/**
 * Fetching image data from a URI for Glance's {@code web-download} import, safely: a {@link
 * dev.imagegov.data.fetch.UriGuard} applies Glance's {@code [import_filtering_opts]} lists and
 * refuses loopback, private, link-local, metadata-service and other special addresses after DNS
 * resolution and on every redirect; a {@link dev.imagegov.data.fetch.Fetcher} (by default {@link
 * dev.imagegov.data.fetch.HttpFetcher} on the JDK's {@code HttpURLConnection}) streams the response
 * with a byte limit and a read timeout on the headers and on every part of the body. A fetcher is
 * closed with the governance that uses it.
 *
 * <p>Start with {@link dev.imagegov.data.fetch.UriGuard#defaults()} (the configuration's {@code
 * importUriGuard}) and {@link dev.imagegov.data.fetch.HttpFetcher#create}.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Which URIs may be fetched (schemes, hosts, ports, and the special addresses of {@code
 *       SpecialAddresses}), checked again on every redirect; the byte limit of a response
 *       ({@code BoundedInputStream}); the read timeout on headers and body.
 * </ul>
 */
@NullMarked
package dev.imagegov.data.fetch;

import org.jspecify.annotations.NullMarked;
