package dev.imagegov.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The one bounded reader of a request body that is JSON (a JSON-patch document, a {@code POST
 * /v2/images} body): the body's length is checked before parsing (longer than {@code maxChars}:
 * 413 {@code REQUEST_TOO_LARGE}, like Glance's {@code max_request_body_size}) and Jackson parses
 * it under a nesting bound (deeper than {@code maxDepth}: 400), so no body exhausts memory or the
 * stack. A missing or blank body, malformed JSON or content after the document is 400 {@code
 * MALFORMED_REQUEST}; no parser exception escapes. Not API. Immutable and thread-safe.
 */
public final class BoundedJson {
  private final int maxChars;
  private final int maxDepth;
  private final ObjectMapper mapper;

  /** A reader of bodies of at most {@code maxChars} characters nested at most {@code maxDepth}. */
  public BoundedJson(int maxChars, int maxDepth) {
    this.maxChars = maxChars;
    this.maxDepth = maxDepth;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(maxDepth)
                    .maxDocumentLength(Math.max(maxChars, 1) * 4L)
                    .build())
            .build();
    this.mapper = new ObjectMapper(factory);
  }

  /**
   * The body's JSON tree.
   *
   * @throws GovernanceException 413 {@code REQUEST_TOO_LARGE} for a body over the limit; 400
   *     {@code MALFORMED_REQUEST} for a missing body, malformed JSON, a document nested too deep
   *     or content after it
   */
  public JsonNode read(@Nullable String body) {
    if (body == null || body.isBlank()) {
      throw malformed("Body expected in request.");
    }
    if (body.length() > maxChars) {
      throw GovernanceException.of(
          RuleCode.REQUEST_TOO_LARGE,
          "Request is too large: " + body.length() + " characters, at most " + maxChars + ".");
    }
    try (JsonParser parser = mapper.createParser(body)) {
      JsonNode node = mapper.readTree(parser);
      if (node == null || node.isMissingNode()) {
        throw malformed("Body expected in request.");
      }
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw malformed("Malformed JSON in request body: unexpected content after the document.");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw malformed(
          "Malformed JSON in request body: the document is nested deeper than "
              + maxDepth
              + " levels or is too long.");
    } catch (JsonProcessingException e) {
      throw malformed("Malformed JSON in request body: " + e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      if (e instanceof GovernanceException) {
        throw (GovernanceException) e;
      }
      throw malformed("Malformed JSON in request body: " + e.getMessage());
    } catch (StackOverflowError e) {
      throw malformed("Malformed JSON in request body: the document is nested too deeply.");
    }
  }

  private static GovernanceException malformed(String message) {
    return GovernanceException.of(RuleCode.MALFORMED_REQUEST, message);
  }
}
