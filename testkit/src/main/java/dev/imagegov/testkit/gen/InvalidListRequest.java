package dev.imagegov.testkit.gen;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.query.ListRequest;

/**
 * A list request that must be refused, labelled with the error code it must be refused with and the
 * rule it breaks.
 *
 * @param request the request
 * @param expected the code {@code Images.list} (and {@code ListQueryParser.parse}) must answer
 * @param reason the rule the request breaks, for failure messages
 */
public record InvalidListRequest(ListRequest request, ErrorCode expected, String reason) {
  @Override
  public String toString() {
    return "?" + request.toQueryString() + " must fail with " + expected + " (" + reason + ")";
  }
}
