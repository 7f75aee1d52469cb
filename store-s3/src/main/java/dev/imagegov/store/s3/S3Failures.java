package dev.imagegov.store.s3;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns the SDK's exceptions into the store's: an {@link IOException} where the port declares
 * one (which core answers with {@link StoreErrorCode#STORE_FAILED}), a {@link GovernanceException}
 * with {@link StoreErrorCode#STORE_FAILED} elsewhere; never the SDK's own type. Each message names the
 * store, the operation, the HTTP status, S3's error code and request id, and S3's message.
 */
final class S3Failures {
  private S3Failures() {}

  /** The HTTP status of an S3 error answer, or -1 for a failure without one (network, client). */
  static int status(SdkException e) {
    return e instanceof S3Exception ? ((S3Exception) e).statusCode() : -1;
  }

  /** S3's error code ({@code NoSuchKey}, {@code PreconditionFailed}, ...), or empty. */
  static String code(SdkException e) {
    if (e instanceof S3Exception && ((S3Exception) e).awsErrorDetails() != null) {
      String code = ((S3Exception) e).awsErrorDetails().errorCode();
      return code == null ? "" : code;
    }
    return "";
  }

  /** Whether the answer says the object (or upload) is not there. */
  static boolean notFound(SdkException e) {
    return status(e) == 404;
  }

  /** Whether a conditional request's precondition failed (the object exists, or changed). */
  static boolean preconditionFailed(SdkException e) {
    return status(e) == 412 || "ConditionalRequestConflict".equals(code(e));
  }

  /** A description of the failure: status, S3 error code, request id and message. */
  static String describe(SdkException e) {
    if (e instanceof S3Exception) {
      S3Exception s3 = (S3Exception) e;
      String message =
          s3.awsErrorDetails() != null && s3.awsErrorDetails().errorMessage() != null
              ? s3.awsErrorDetails().errorMessage()
              : String.valueOf(s3.getMessage());
      return "HTTP " + s3.statusCode() + (code(e).isEmpty() ? "" : " " + code(e))
          + (s3.requestId() == null ? "" : " (request " + s3.requestId() + ")") + ": " + message;
    }
    return "no answer from the service: " + e.getMessage();
  }

  /**
   * The exception a port method that declares {@link IOException} throws for {@code e}: an
   * {@link InterruptedIOException} (with the thread's interrupt status set again) if the call
   * was interrupted, else an {@link IOException}.
   */
  static IOException io(String store, String operation, SdkException e) {
    if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException(prefix(store, operation) + "interrupted");
      interrupted.initCause(e);
      return interrupted;
    }
    return new IOException(prefix(store, operation) + describe(e), e);
  }

  /** The exception a port method without {@link IOException} throws for {@code e}. */
  static GovernanceException failed(String store, String operation, SdkException e) {
    return GovernanceException.of(
        StoreErrorCode.STORE_FAILED, prefix(store, operation) + describe(e), e);
  }

  /** A {@link StoreErrorCode#STORE_FAILED} refusal with its own message. */
  static GovernanceException failed(String message, @Nullable Throwable cause) {
    return GovernanceException.of(StoreErrorCode.STORE_FAILED, message, cause);
  }

  private static String prefix(String store, String operation) {
    return "S3 blob store " + store + ": " + operation + " failed: ";
  }
}
