package dev.imagegov.testkit.contract;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.SortKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Deliberately faulty catalogs, each the {@link ScanningCatalog} with one seeded defect, and one
 * contract suite per defect. {@link CatalogContractCatchesSeededDefectsTest} proves the suite fails
 * on every one. These suites are nested classes of a class not named like a test, so surefire never
 * runs them on their own.
 */
final class FaultyCatalogs {
  private FaultyCatalogs() {}

  /**
   * A seeded defect: what is wrong, the contract group that must catch it, and the suite running
   * the contract on a catalog with that defect.
   */
  record Defect(String description, String group, Class<? extends CatalogContract> suite) {
    @Override
    public String toString() {
      return description;
    }
  }

  static final List<Defect> ALL =
      List.of(
          new Defect(
              "compare-and-set ignores the version",
              "OptimisticConcurrency",
              CasIgnoresVersion.class),
          new Defect("delete ignores the version", "Crud", DeleteIgnoresVersion.class),
          new Defect(
              "pending memberships listed when accepted is asked",
              "Query",
              PendingListedAsAccepted.class),
          new Defect("a marker skips one row", "Query", MarkerSkipsOneRow.class),
          new Defect("delete frees the id for reuse", "Crud", DeleteFreesTheId.class),
          new Defect(
              "compare-and-set throws for a stale version instead of answering Stale",
              "OptimisticConcurrency",
              CasThrowsWhenStale.class),
          new Defect("insert stores version 0", "Crud", InsertAtVersionZero.class),
          new Defect("query ignores tag filters", "Query", QueryIgnoresTags.class),
          new Defect("find returns deleted images", "Crud", FindReturnsDeleted.class),
          new Defect("sort ignores the direction", "Query", SortIgnoresDirection.class),
          new Defect(
              "compare-and-set is not atomic (read, then write)",
              "Concurrency",
              CasNotAtomic.class),
          new Defect("size counts deleted images", "Crud", SizeCountsTombstones.class),
          new Defect("a page holds one row more than the limit", "Query", LimitOffByOne.class));

  /** The seed of the faulty suites' generated cases (and of {@link FaultyBlobStores}'). */
  static final long SEED = 20261207L;

  /**
   * The contract on a faulty catalog, drawing the same cases every run: whether the suite catches
   * the defect is not left to chance.
   */
  abstract static class Suite extends CatalogContract {
    @Override
    protected OptionalLong seed() {
      return OptionalLong.of(SEED);
    }
  }

  // ---- the defects ---------------------------------------------------------------------------

  /** Compare-and-set stores whatever it is given, whatever the expected version. */
  static final class CasIgnoresVersion extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public synchronized CompareAndSetResult compareAndSet(
            long expectedVersion, Image replacement) {
          Image current = live.get(replacement.id());
          return super.compareAndSet(
              current == null ? expectedVersion : current.version(), replacement);
        }
      };
    }
  }

  /** Delete removes the image whatever the expected version. */
  static final class DeleteIgnoresVersion extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public synchronized Tombstone delete(
            ImageId id, long expectedVersion, ImageStatus finalStatus, Instant at) {
          Image current = live.get(id);
          return super.delete(
              id, current == null ? expectedVersion : current.version(), finalStatus, at);
        }
      };
    }
  }

  /** Asked for accepted memberships, the query also lists pending ones. */
  static final class PendingListedAsAccepted extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public synchronized List<Image> query(CatalogQuery query) {
          if (query.memberStatus().orElse(null) != MemberStatus.ACCEPTED) {
            return super.query(query);
          }
          Map<ImageId, Image> originals = new HashMap<>();
          List<Image> promoted = new ArrayList<>();
          for (Image image : live.values()) {
            originals.put(image.id(), image);
            Map<ProjectId, Member> members = new LinkedHashMap<>();
            image
                .members()
                .forEach(
                    (p, m) ->
                        members.put(
                            p,
                            m.status() == MemberStatus.PENDING
                                ? m.withStatus(MemberStatus.ACCEPTED, m.updatedAt())
                                : m));
            promoted.add(image.toBuilder().members(members).build());
          }
          List<Image> rows =
              QueryEvaluator.evaluate(query, promoted, id -> Optional.ofNullable(live.get(id)));
          List<Image> out = new ArrayList<>();
          rows.forEach(r -> out.add(originals.get(r.id())));
          return out;
        }
      };
    }
  }

  /** After a marker, the first row of the page is lost. */
  static final class MarkerSkipsOneRow extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public synchronized List<Image> query(CatalogQuery query) {
          if (query.marker().isEmpty()) {
            return super.query(query);
          }
          List<Image> rows =
              super.query(CatalogQuery.builder().from(query).limit(query.limit() + 1).build());
          return rows.isEmpty() ? rows : rows.subList(1, rows.size());
        }
      };
    }
  }

  /** A deleted image's id can be inserted again. */
  static final class DeleteFreesTheId extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        protected boolean isKnownId(ImageId id) {
          return live.containsKey(id);
        }
      };
    }
  }

  /** A stale version is thrown as {@code STALE_VERSION}, the SPI's old way, not answered. */
  static final class CasThrowsWhenStale extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public synchronized CompareAndSetResult compareAndSet(
            long expectedVersion, Image replacement) {
          CompareAndSetResult result = super.compareAndSet(expectedVersion, replacement);
          if (result.isStale()) {
            result.orElseThrow();
          }
          return result;
        }
      };
    }
  }

  /** Insert stores new images at version 0. */
  static final class InsertAtVersionZero extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        protected long insertVersion() {
          return 0;
        }
      };
    }
  }

  /** The query drops its tag filters. */
  static final class QueryIgnoresTags extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public synchronized List<Image> query(CatalogQuery query) {
          return super.query(CatalogQuery.builder().from(query).tags(Set.of()).build());
        }
      };
    }
  }

  /** Find still returns an image after its delete (with its final status). */
  static final class FindReturnsDeleted extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        private final Map<ImageId, Image> graveyard = new HashMap<>();

        @Override
        public synchronized Tombstone delete(
            ImageId id, long expectedVersion, ImageStatus finalStatus, Instant at) {
          Image last = live.get(id);
          Tombstone t = super.delete(id, expectedVersion, finalStatus, at);
          graveyard.put(id, last.toBuilder().status(finalStatus).build());
          return t;
        }

        @Override
        public synchronized Optional<Image> find(ImageId id) {
          Optional<Image> found = super.find(id);
          return found.isPresent() ? found : Optional.ofNullable(graveyard.get(id));
        }
      };
    }
  }

  /** Every sort key is applied ascending. */
  static final class SortIgnoresDirection extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public synchronized List<Image> query(CatalogQuery query) {
          List<SortKey> ascending = new ArrayList<>();
          query.sort().forEach(k -> ascending.add(SortKey.asc(k.field())));
          if (ascending.isEmpty()) {
            ascending.add(SortKey.asc(ImageField.CREATED_AT));
          }
          return super.query(CatalogQuery.builder().from(query).sort(ascending).build());
        }
      };
    }
  }

  /** Compare-and-set checks the version, lets go of the lock, then writes. */
  static final class CasNotAtomic extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public CompareAndSetResult compareAndSet(long expectedVersion, Image replacement) {
          synchronized (this) {
            Image current = live.get(replacement.id());
            if (current == null) {
              return new CompareAndSetResult.Missing(replacement.id());
            }
            if (current.version() != expectedVersion) {
              return new CompareAndSetResult.Stale(
                  current.id(), expectedVersion, current.version());
            }
          }
          pause();
          synchronized (this) {
            if (!live.containsKey(replacement.id())) {
              return new CompareAndSetResult.Missing(replacement.id());
            }
            Image stored = replacement.withVersion(expectedVersion + 1);
            live.put(stored.id(), stored);
            return new CompareAndSetResult.Stored(stored);
          }
        }
      };
    }
  }

  /** Size counts tombstones as well as live images. */
  static final class SizeCountsTombstones extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public synchronized long size() {
          return live.size() + tombstones.size();
        }
      };
    }
  }

  /** A full page holds limit + 1 rows. */
  static final class LimitOffByOne extends Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public synchronized List<Image> query(CatalogQuery query) {
          return super.query(CatalogQuery.builder().from(query).limit(query.limit() + 1).build());
        }
      };
    }
  }

  /** Widens a race window as a slow store would (a network round trip). */
  static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
