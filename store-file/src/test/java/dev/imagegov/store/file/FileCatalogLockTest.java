package dev.imagegov.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per directory: a second opener, in this JVM or another process, fails at once. */
class FileCatalogLockTest {
  private static final FileCatalogOptions FAST = FileCatalogOptions.builder().fsync(false).build();

  @TempDir Path dir;

  private static GovernanceException openFails(Path home) {
    try {
      FileCatalog.open(home, FAST).close();
    } catch (GovernanceException e) {
      return e;
    }
    throw new AssertionError("the catalog opened");
  }

  @Test
  void aSecondCatalogInTheSameJvmIsRefusedNamingTheHolder() {
    FileCatalog first = FileCatalog.open(dir, FAST);

    GovernanceException e = openFails(dir);

    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_LOCKED);
    assertThat(e.getMessage())
        .contains("process " + ProcessHandle.current().pid())
        .contains("in this JVM")
        .contains(dir.toString());
    first.close();
    FileCatalog.open(dir, FAST).close();
  }

  @Test
  void aCatalogHeldByAnotherProcessIsRefusedNamingThatProcess() throws Exception {
    Process holder = ChildJvm.start(LockHolder.class, "hold", dir.toString());
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("LOCKED 0");

      GovernanceException e = openFails(dir);

      assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_LOCKED);
      assertThat(e.getMessage()).contains("process " + holder.pid() + " on ");
      holder.getOutputStream().close();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(holder.exitValue()).isZero();
      FileCatalog.open(dir, FAST).close();
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void aRefusedSecondOpenerInThisJvmDoesNotReleaseTheHoldersLock() throws Exception {
    // On POSIX systems closing any channel to a locked file drops the process's lock.
    FileCatalog first = FileCatalog.open(dir, FAST);
    openFails(dir);

    Process other = ChildJvm.start(LockHolder.class, "try", dir.toString());
    String answer = new BufferedReader(
        new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(answer).isEqualTo(StoreErrorCode.CATALOG_LOCKED.name());
    first.close();
  }
}
