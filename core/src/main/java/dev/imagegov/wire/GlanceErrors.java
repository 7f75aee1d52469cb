package dev.imagegov.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.error.ErrorKind;
import dev.imagegov.error.GovernanceException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Glance's error body for a refusal: the JSON that Glance's API sends (through webob's {@code
 * WSGIHTTPException.json_body}) when a client accepts {@code application/json}, for the HTTP status
 * of the exception's code ({@link GovernanceException#httpStatus()}, README's status mapping).
 *
 * <p>Glance raises {@code webob.exc.HTTPxxx(explanation=message)}, and webob renders the
 * explanation through its body template, so the body is {@code {"message": "<message><br /><br
 * />\n\n\n", "code": "404 Not Found", "title": "Not Found"}}: {@code code} is the status line,
 * {@code title} its reason phrase. A 415 uses webob's own template, which names the request's media
 * type ({@link #body(GovernanceException, String)}) and ignores the explanation, so, as in Glance,
 * its body carries no message of its own. Some refusals Glance raises from its domain layer with
 * webob's default explanation and the message as the detail ({@code "Access was denied to this
 * resource.<br /><br />\n<message>\n\n"}, for example a reserved {@code os_glance_*} name or a
 * foreign owner on create); this body always has the first form, with the same status, code and
 * title. Write the body with the exception's {@code httpStatus()} as the response status.
 * Stateless.
 */
public final class GlanceErrors {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private GlanceErrors() {}

  /**
   * {@return the error body of {@code error}, as Glance answers it}
   *
   * @param error the refusal to answer
   */
  public static ObjectNode body(GovernanceException error) {
    return body(error, null);
  }

  /**
   * The error body of {@code error}; for a 415 the message names {@code requestMediaType}, the
   * request's {@code Content-Type} (empty when absent), as webob's template does.
   *
   * @param error the refusal to answer
   * @param requestMediaType the request's {@code Content-Type}, or {@code null} when absent
   * @return the error body as Glance answers it
   */
  public static ObjectNode body(GovernanceException error, @Nullable String requestMediaType) {
    Objects.requireNonNull(error, "error");
    int status = error.httpStatus();
    String title = title(error.kind());
    String message =
        error.kind() == ErrorKind.UNSUPPORTED_MEDIA_TYPE
            ? "The request media type "
                + (requestMediaType == null ? "" : requestMediaType)
                + " is not supported by this server.\n<br /><br />\n"
            : error.getMessage() + "<br /><br />\n\n\n";
    ObjectNode json = NODES.objectNode();
    json.put("message", message);
    json.put("code", status + " " + title);
    json.put("title", title);
    return json;
  }

  /** webob's reason phrase for the status of {@code kind}. */
  static String title(ErrorKind kind) {
    switch (kind) {
      case BAD_REQUEST:
        return "Bad Request";
      case FORBIDDEN:
        return "Forbidden";
      case NOT_FOUND:
        return "Not Found";
      case CONFLICT:
        return "Conflict";
      case GONE:
        return "Gone";
      case OVER_LIMIT:
        return "Request Entity Too Large";
      case UNSUPPORTED_MEDIA_TYPE:
        return "Unsupported Media Type";
      case RANGE_NOT_SATISFIABLE:
        return "Request Range Not Satisfiable";
      case SERVICE_UNAVAILABLE:
        return "Service Unavailable";
      default:
        throw new AssertionError("no reason phrase for " + kind);
    }
  }
}
