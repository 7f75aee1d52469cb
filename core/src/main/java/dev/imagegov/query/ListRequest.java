package dev.imagegov.query;

import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ListMultimap;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The raw query parameters of an image list ({@code GET /v2/images?...}): keys and values as
 * the client sent them, in order, each key repeatable ({@code tag=a&tag=b}). Immutable.
 *
 * <p>{@link #parse(String)} reads a query string the way a web server does: pairs separated by
 * {@code &}, empty pairs skipped, the key ending at the first {@code =} (a pair without {@code
 * =} has the empty value), {@code +} meaning a space and {@code %XX} escapes decoded as UTF-8.
 * A malformed escape or a byte sequence that is not UTF-8 is refused with {@link
 * RuleCode#MALFORMED_REQUEST}. {@link #toQueryString()} encodes the parameters back (the form
 * Glance uses for its {@code first} and {@code next} links), so that {@code
 * parse(r.toQueryString())} equals {@code r}.
 *
 * <p>Keys and values are arbitrary text but must be well-formed UTF-16 (no unpaired surrogate),
 * else {@link RuleCode#MALFORMED_REQUEST}. Two requests are equal when they hold the same
 * values, in the same order, for every key.
 */
public final class ListRequest {
  private static final ListRequest EMPTY = new ListRequest(ImmutableListMultimap.of());
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final ImmutableListMultimap<String, String> params;

  private ListRequest(ImmutableListMultimap<String, String> params) {
    this.params = params;
  }

  /** {@return a request without parameters} */
  public static ListRequest empty() {
    return EMPTY;
  }

  /**
   * Reads a query string (the part after {@code ?}; one leading {@code ?} is ignored).
   *
   * @param queryString the query string, percent-encoded
   * @return the request holding its parameters in order
   * @throws GovernanceException {@link RuleCode#MALFORMED_REQUEST} for a malformed escape or
   *     bytes that are not UTF-8
   */
  public static ListRequest parse(String queryString) {
    Objects.requireNonNull(queryString, "queryString");
    String query = queryString.startsWith("?") ? queryString.substring(1) : queryString;
    ImmutableListMultimap.Builder<String, String> builder = ImmutableListMultimap.builder();
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      if (end > start) {
        String pair = query.substring(start, end);
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        builder.put(decode(key), decode(value));
      }
      start = end + 1;
    }
    return new ListRequest(builder.build());
  }

  /**
   * A request holding these parameters, in the multimap's order.
   *
   * @param params the parameters by name, values in request order
   * @return a request holding these parameters, in the multimap's order
   * @throws GovernanceException {@link RuleCode#MALFORMED_REQUEST} if a key or value holds an
   *     unpaired surrogate
   */
  public static ListRequest of(ListMultimap<String, String> params) {
    Objects.requireNonNull(params, "params");
    for (Map.Entry<String, String> e : params.entries()) {
      checkWellFormed(Objects.requireNonNull(e.getKey(), "key"));
      checkWellFormed(Objects.requireNonNull(e.getValue(), "value"));
    }
    return new ListRequest(ImmutableListMultimap.copyOf(params));
  }

  /**
   * The parameters Glance reads one value of: a second one would be ignored or refused, so
   * {@link #with} and {@link #plus} replace them ({@code limit}, {@code marker}, {@code
   * member_status}, {@code visibility}, {@code sort}, {@code os_hidden}, {@code protected}).
   */
  public static final ImmutableSet<String> SINGLE_VALUED =
      ImmutableSet.of(
          "limit", "marker", "member_status", "visibility", "sort", "os_hidden", "protected");

  /**
   * This request with {@code key} set to {@code value}: every earlier value of {@code key} is
   * removed and the new one goes last, so {@code request.with("marker", next)} is the request of
   * the next page (with the marker last, as in Glance's {@code next} link), and {@code
   * with("sort_key", "name")} replaces the sort keys. Use {@link #plus} to add one more value
   * of a repeatable parameter ({@code tag}, {@code sort_key}, {@code sort_dir}, a filter).
   *
   * @param key the parameter's name
   * @param value the parameter's value, unescaped
   * @return a copy of this request with that parameter added
   * @throws GovernanceException {@link RuleCode#MALFORMED_REQUEST} if {@code key} or {@code
   *     value} holds an unpaired surrogate
   */
  public ListRequest with(String key, String value) {
    checkWellFormed(Objects.requireNonNull(key, "key"));
    checkWellFormed(Objects.requireNonNull(value, "value"));
    return new ListRequest(
        ImmutableListMultimap.<String, String>builder()
            .putAll(without(key).params)
            .put(key, value)
            .build());
  }

  /**
   * This request with one more value of {@code key}, after the others of its key ({@code
   * tag=a&tag=b}, several {@code sort_key}s); for a {@linkplain #SINGLE_VALUED single-valued}
   * parameter it is {@link #with}, so that a request never carries two of them.
   *
   * @param key the query parameter name
   * @param value its value
   * @return this request with the parameter added
   * @throws GovernanceException {@link RuleCode#MALFORMED_REQUEST} if {@code key} or {@code
   *     value} holds an unpaired surrogate
   */
  public ListRequest plus(String key, String value) {
    if (SINGLE_VALUED.contains(key)) {
      return with(key, value);
    }
    checkWellFormed(Objects.requireNonNull(key, "key"));
    checkWellFormed(Objects.requireNonNull(value, "value"));
    return new ListRequest(
        ImmutableListMultimap.<String, String>builder().putAll(params).put(key, value).build());
  }

  /**
   * This request without any parameter named {@code key}.
   *
   * @param key the parameter's name
   * @return a copy of this request without that parameter
   */
  public ListRequest without(String key) {
    Objects.requireNonNull(key, "key");
    if (!params.containsKey(key)) {
      return this;
    }
    ImmutableListMultimap.Builder<String, String> builder = ImmutableListMultimap.builder();
    for (Map.Entry<String, String> e : params.entries()) {
      if (!e.getKey().equals(key)) {
        builder.put(e);
      }
    }
    return new ListRequest(builder.build());
  }

  /** {@return the parameters: keys in order of first appearance, each key's values in order} */
  public ImmutableListMultimap<String, String> params() {
    return params;
  }

  /**
   * The parameters as a query string without the leading {@code ?}: letters, digits and {@code
   * -._~} as they are, a space as {@code +}, every other character as {@code %XX} escapes of
   * its UTF-8 bytes. Empty when there are no parameters.
   *
   * @return the parameters as a query string without the leading {@code ?}: letters, digits and
   *     {@code -._~} as they are, a space as {@code +}, every other character as {@code %XX}
   *     escapes of its UTF-8 bytes
   */
  public String toQueryString() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : params.entries()) {
      if (out.length() > 0) {
        out.append('&');
      }
      encode(e.getKey(), out);
      out.append('=');
      encode(e.getValue(), out);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ListRequest && ((ListRequest) o).params.equals(params);
  }

  @Override
  public int hashCode() {
    return params.hashCode();
  }

  @Override
  public String toString() {
    return "ListRequest[" + toQueryString() + "]";
  }

  private static void checkWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        throw malformed("an unpaired surrogate in a query parameter");
      }
      if (Character.isLowSurrogate(c)) {
        throw malformed("an unpaired surrogate in a query parameter");
      }
    }
  }

  private static String decode(String text) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      checkWellFormed(text);
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '+') {
        bytes.write(' ');
        i++;
      } else if (c == '%') {
        int hi = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
        int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0 || text.charAt(i + 1) > 0x7f || text.charAt(i + 2) > 0x7f) {
          throw malformed("Malformed percent-escape in query parameter '" + text + "'");
        }
        bytes.write(hi * 16 + lo);
        i += 3;
      } else {
        int next = i + 1;
        while (next < text.length() && text.charAt(next) != '%' && text.charAt(next) != '+') {
          next++;
        }
        String run = text.substring(i, next);
        checkWellFormed(run);
        byte[] encoded = run.getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i = next;
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes.toByteArray()));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw GovernanceException.of(
          RuleCode.MALFORMED_REQUEST,
          "Query parameter '" + text + "' does not decode as UTF-8",
          e);
    }
  }

  private static void encode(String text, StringBuilder out) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      if ((cp >= 'a' && cp <= 'z')
          || (cp >= 'A' && cp <= 'Z')
          || (cp >= '0' && cp <= '9')
          || cp == '-'
          || cp == '.'
          || cp == '_'
          || cp == '~') {
        out.append((char) cp);
      } else if (cp == ' ') {
        out.append('+');
      } else {
        for (byte b : text.substring(i, i + width).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
      }
      i += width;
    }
  }

  private static GovernanceException malformed(String message) {
    return GovernanceException.of(RuleCode.MALFORMED_REQUEST, message);
  }
}
