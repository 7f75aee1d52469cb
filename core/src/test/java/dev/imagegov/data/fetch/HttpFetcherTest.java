package dev.imagegov.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the fetcher against a server on 127.0.0.1 only; nothing else is ever contacted. */
class HttpFetcherTest {
  private static final byte[] IMAGE = "a small image".repeat(100).getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private ExecutorService executor;
  private int port;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    port = server.getAddress().getPort();
    server.createContext("/image", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, IMAGE.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(IMAGE);
      }
    });
    server.createContext("/endless", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, 0); // chunked, no length
      byte[] chunk = new byte[8192];
      try (OutputStream out = exchange.getResponseBody()) {
        for (long sent = 0; sent < (1L << 30); sent += chunk.length) {
          out.write(chunk);
        }
      } catch (IOException expected) {
        // the client hung up, as it must
      }
    });
    server.createContext("/huge", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, 10_000_000);
      exchange.close();
    });
    server.createContext("/missing", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.createContext("/redirect", exchange -> {
      requests.incrementAndGet();
      String target = exchange.getRequestURI().getQuery().substring("to=".length());
      exchange.getResponseHeaders().add("Location", target);
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.createContext("/loop", exchange -> {
      requests.incrementAndGet();
      exchange.getResponseHeaders().add("Location", "/loop");
      exchange.sendResponseHeaders(301, -1);
      exchange.close();
    });
    server.createContext("/stall", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, IMAGE.length);
      OutputStream out = exchange.getResponseBody();
      out.write(IMAGE, 0, IMAGE.length / 2);
      out.flush();
      try {
        // Stalls mid-body until the test has seen the timeout (hang guard: 5 minutes).
        stallReleased.await(5, java.util.concurrent.TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.start();
  }

  private final java.util.concurrent.CountDownLatch stallReleased =
      new java.util.concurrent.CountDownLatch(1);

  @AfterEach
  void stopServer() {
    stallReleased.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The test-only configuration: this loopback server, explicitly allowed. */
  private HttpFetcher loopbackFetcher() {
    return HttpFetcher.create(UriGuard.builder()
        .allowedHosts(List.of("127.0.0.1"))
        .allowedPorts(List.of(port))
        .build());
  }

  private static GovernanceException refusal(ErrorCode code, Runnable action) {
    GovernanceException e = catchThrowableOfType(GovernanceException.class, action::run);
    assertThat(e).as("expected " + code).isNotNull();
    assertThat(e.code()).isEqualTo(code);
    return e;
  }

  @Test
  void defaultGuardRefusesTheLoopbackServerWithoutContactingIt() {
    HttpFetcher fetcher = HttpFetcher.create(UriGuard.builder().allowedPorts(List.of()).build());
    refusal(RuleCode.URI_NOT_ALLOWED, () -> fetcher.fetch(uri("/image"), 1 << 20));
    assertThat(requests).hasValue(0);
  }

  @Test
  void explicitlyAllowedLoopbackServerIsFetched() throws IOException {
    try (FetchResult result = loopbackFetcher().fetch(uri("/image"), 1 << 20)) {
      assertThat(result.declaredLength()).hasValue(IMAGE.length);
      assertThat(result.uri()).isEqualTo(uri("/image"));
      assertThat(result.body().readAllBytes()).isEqualTo(IMAGE);
    }
  }

  @Test
  void dataOfExactlyTheLimitIsAccepted() throws IOException {
    try (FetchResult result = loopbackFetcher().fetch(uri("/image"), IMAGE.length)) {
      assertThat(result.body().readAllBytes()).hasSize(IMAGE.length);
    }
  }

  @Test
  void redirectWithinTheAllowedHostIsFollowed() throws IOException {
    URI start = uri("/redirect?to=/image");
    try (FetchResult result = loopbackFetcher().fetch(start, 1 << 20)) {
      assertThat(result.uri()).isEqualTo(uri("/image"));
      assertThat(result.body().readAllBytes()).isEqualTo(IMAGE);
    }
  }

  @Test
  void redirectToAForbiddenHostIsRefusedBeforeConnecting() {
    HttpFetcher fetcher = loopbackFetcher();
    for (String target : List.of(
        "http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:" + port + "/image",
        "http://[::1]:" + port + "/image", "http://localhost:" + port + "/image",
        "file:///etc/passwd")) {
      requests.set(0);
      GovernanceException e = refusal(RuleCode.URI_NOT_ALLOWED,
          () -> fetcher.fetch(uri("/redirect?to=" + target), 1 << 20));
      assertThat(e.getMessage()).as(target).doesNotContain("/redirect");
      assertThat(requests).as("only the redirecting request reached a server").hasValue(1);
    }
  }

  @Test
  void endlessResponseIsCutAtTheLimit() throws IOException {
    long limit = 100_000;
    try (FetchResult result = loopbackFetcher().fetch(uri("/endless"), limit)) {
      assertThat(result.declaredLength()).isEmpty();
      InputStream body = result.body();
      byte[] buf = new byte[4096];
      long[] read = {0};
      GovernanceException e = refusal(RuleCode.FETCH_TOO_LARGE, () -> {
        try {
          for (int n; (n = body.read(buf)) >= 0; ) {
            read[0] += n;
          }
        } catch (IOException io) {
          throw new AssertionError(io);
        }
      });
      assertThat(e.httpStatus()).isEqualTo(413);
      assertThat(read[0]).isLessThanOrEqualTo(limit);
    }
  }

  @Test
  void declaredLengthAboveTheLimitIsRefusedBeforeReading() {
    refusal(RuleCode.FETCH_TOO_LARGE, () -> loopbackFetcher().fetch(uri("/huge"), 1000));
  }

  @Test
  void errorStatusIsAFetchFailure() {
    assertThat(refusal(RuleCode.FETCH_FAILED,
        () -> loopbackFetcher().fetch(uri("/missing"), 1000)))
        .hasMessageContaining("HTTP status 404");
  }

  @Test
  void redirectLoopStopsAtTheLimit() {
    HttpFetcher fetcher = HttpFetcher.builder(UriGuard.builder()
        .allowedHosts(List.of("127.0.0.1")).allowedPorts(List.of(port)).build())
        .maxRedirects(3).build();
    assertThat(refusal(RuleCode.FETCH_FAILED, () -> fetcher.fetch(uri("/loop"), 1000)))
        .hasMessageContaining("more than 3 redirects");
    assertThat(requests).hasValue(4);
  }

  @Test
  void negativeLimitIsInvalid() {
    refusal(StoreErrorCode.INVALID_VALUE, () -> loopbackFetcher().fetch(uri("/image"), -1));
  }

  @Test
  void bodyThatStallsMidwayTimesOut() throws IOException {
    HttpFetcher fetcher = HttpFetcher.builder(UriGuard.builder()
            .allowedHosts(List.of("127.0.0.1"))
            .allowedPorts(List.of(port))
            .build())
        .readTimeout(java.time.Duration.ofMillis(200))
        .build();
    try (FetchResult result = fetcher.fetch(uri("/stall"), 1 << 20)) {
      assertThat(result.declaredLength()).hasValue(IMAGE.length);
      GovernanceException e =
          refusal(RuleCode.FETCH_FAILED, () -> readQuietly(result.body()));
      assertThat(e).hasMessageContaining("read timeout");
    } finally {
      stallReleased.countDown();
    }
  }

  @Test
  void closedFetcherRefusesToFetch() {
    HttpFetcher fetcher = loopbackFetcher();
    fetcher.close();
    refusal(RuleCode.FETCH_FAILED, () -> fetcher.fetch(uri("/image"), 1 << 20));
    assertThat(requests).hasValue(0);
  }

  private static void readQuietly(InputStream in) {
    try {
      in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
