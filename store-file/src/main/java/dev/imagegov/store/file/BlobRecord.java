package dev.imagegov.store.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.HashAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A blob's hash record (its sidecar file, format version 1): the key, the size and the digests
 * its write computed, as one JSON object with Glance's field names. Decoding is strict: an
 * unknown or missing field, a value of the wrong type, another key or format version is damage,
 * reported as {@link IllegalArgumentException}.
 */
record BlobRecord(BlobKey key, long size, BlobDigester.Digests digests) {
  static final int FORMAT = 1;
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Set<String> FIELDS =
      Set.of("format", "key", "size", "checksum", "os_hash_algo", "os_hash_value");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

  /** The record as UTF-8 JSON. */
  byte[] encode() {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("format", FORMAT);
    node.put("key", key.value());
    node.put("size", size);
    node.put("checksum", digests.checksum());
    node.put("os_hash_algo", digests.algorithm().glanceName());
    node.put("os_hash_value", digests.multihash());
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not encode a blob record", e);
    }
  }

  /**
   * The record in {@code bytes}, which must name {@code key}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static BlobRecord decode(BlobKey key, byte[] bytes) {
    JsonNode node;
    try {
      node = MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + name + "'");
      }
    }
    long format = number(node, "format");
    if (format != FORMAT) {
      throw new IllegalArgumentException("format version " + format + ", not " + FORMAT);
    }
    String named = text(node, "key");
    if (!named.equals(key.value())) {
      throw new IllegalArgumentException("it records blob '" + named + "', not '" + key + "'");
    }
    long size = number(node, "size");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    String checksum = hex(node, "checksum");
    HashAlgorithm algorithm;
    try {
      algorithm = HashAlgorithm.of(text(node, "os_hash_algo"));
    } catch (GovernanceException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    String multihash = hex(node, "os_hash_value");
    return new BlobRecord(key, size, new BlobDigester.Digests(checksum, algorithm, multihash));
  }

  private static long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not an integer");
    }
    return value.longValue();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
    }
    return value.textValue();
  }

  private static String hex(JsonNode node, String field) {
    String value = text(node, field);
    if (!HEX.matcher(value).matches()) {
      throw new IllegalArgumentException("field '" + field + "' is not lower-case hex");
    }
    return value;
  }
}
