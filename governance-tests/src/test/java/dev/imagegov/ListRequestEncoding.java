package dev.imagegov;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encodes a query-string value for tests. */
final class ListRequestEncoding {
  private ListRequestEncoding() {}

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
