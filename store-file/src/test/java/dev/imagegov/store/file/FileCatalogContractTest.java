package dev.imagegov.store.file;

import dev.imagegov.spi.Catalog;
import dev.imagegov.testkit.contract.CatalogContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testkit's {@link CatalogContract} on the file catalog: a fresh catalog in its own directory
 * for every catalog the suite asks for, closed after the test. Commits are not forced ({@code
 * fsync} off) to keep the suite fast; durability across crashes is {@link FileCatalogCrashTest}'s
 * subject, with {@code fsync} on.
 */
class FileCatalogContractTest extends CatalogContract {
  private static final FileCatalogOptions FAST =
      FileCatalogOptions.builder().fsync(false).snapshotInterval(50).build();

  @TempDir Path dir;

  private final AtomicInteger catalogs = new AtomicInteger();
  private final List<FileCatalog> opened = new ArrayList<>();

  @Override
  protected synchronized Catalog newCatalog() {
    FileCatalog catalog = FileCatalog.open(dir.resolve("c" + catalogs.incrementAndGet()), FAST);
    opened.add(catalog);
    return catalog;
  }

  @AfterEach
  synchronized void closeCatalogs() {
    opened.forEach(FileCatalog::close);
    opened.clear();
  }
}
