package dev.imagegov.testkit.contract;

import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Makes a contract test that the store under test broke by throwing (an exception from the
 * store, not a failed assertion) fail with a message that starts with the guarantee the test
 * checks, as every assertion's message does: {@code <guarantee>: <test>: the store threw <the
 * exception>}, with the exception as the cause. The guarantee is the {@link DisplayName} of the
 * test's group ({@code "Crud: read, insert (version 1, ids never reused), delete (tombstones)"}),
 * or of the test itself outside a group. Failed assertions and aborted tests pass through as they
 * are.
 */
final class StoreFailures implements TestExecutionExceptionHandler {
  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    throw translate(guarantee(context.getRequiredTestClass(), context.getTestMethod()), thrown);
  }

  /**
   * The failure to report for {@code thrown} in a test of {@code guarantee}: a failed assertion
   * or an aborted test as it is, anything else as an {@link AssertionError} that names the
   * guarantee first.
   */
  static Throwable translate(String guarantee, Throwable thrown) {
    if (thrown instanceof AssertionError || thrown instanceof TestAbortedException) {
      return thrown;
    }
    Throwable cause = thrown;
    for (int depth = 0; depth < 8 && ((cause instanceof java.util.concurrent.ExecutionException
        || cause instanceof java.util.concurrent.CompletionException)
        && cause.getCause() != null); depth++) {
      cause = cause.getCause(); // a store call on another thread of a concurrency test
    }
    if (cause instanceof AssertionError) {
      return cause;
    }
    return new AssertionFailedError(guarantee + ": the store threw " + cause, cause);
  }

  /** The guarantee a test checks: its group's display name, then the test's name. */
  static String guarantee(Class<?> testClass, Optional<Method> test) {
    String method = test.map(m -> Optional.ofNullable(m.getAnnotation(DisplayName.class))
        .map(DisplayName::value).orElse(m.getName())).orElse("");
    DisplayName group = testClass.getAnnotation(DisplayName.class);
    if (group == null) {
      return method.isEmpty() ? testClass.getSimpleName() : method;
    }
    return method.isEmpty() ? group.value() : group.value() + ": " + method;
  }
}
