package dev.imagegov.store.file;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A child process for the lock tests. {@code hold DIR}: opens the catalog, prints {@code LOCKED}
 * and its size, and keeps it open until its standard input ends. {@code try DIR}: tries to open
 * it and prints {@code OPENED} (and its size) or the refusal's error code.
 */
final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[1]);
    FileCatalogOptions options = FileCatalogOptions.builder().fsync(false).build();
    if (args[0].equals("hold")) {
      try (FileCatalog catalog = FileCatalog.open(dir, options)) {
        System.out.println("LOCKED " + catalog.size());
        System.out.flush();
        while (System.in.read() >= 0) {
          // Hold the lock until the parent closes our input.
        }
      }
      return;
    }
    try (FileCatalog catalog = FileCatalog.open(dir, options)) {
      System.out.println("OPENED " + catalog.size());
    } catch (dev.imagegov.error.GovernanceException e) {
      System.out.println(e.code());
    }
  }
}
