package dev.imagegov;

import static dev.imagegov.ReportWorld.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.quota.QuotaPolicy;
import dev.imagegov.report.FindingKind;
import dev.imagegov.report.HygieneReport;
import dev.imagegov.report.HygieneRequest;
import dev.imagegov.report.WhatIf;
import dev.imagegov.sharing.MemoryTenancy;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.usage.MemoryUsageStore;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every report streams: it reads the catalog in exactly one {@code forEach} pass, runs no query
 * and looks no image up one by one (the hygiene report looks up the first image of each
 * duplicate group alone), so its cost is one scan of the catalog, whatever the store, and what it
 * holds is what it adds up, never the images.
 */
class ReportStreamingTest {
  /** A catalog that counts the passes, queries and look-ups made through it. */
  private static final class CountingCatalog extends ForwardingCatalog {
    int passes;
    int finds;
    int queries;

    CountingCatalog(MemoryCatalog delegate) {
      super(delegate);
    }

    @Override
    public void forEach(Consumer<Image> action) {
      passes++;
      super.forEach(action);
    }

    @Override
    public Optional<Image> find(ImageId id) {
      finds++;
      return super.find(id);
    }

    @Override
    public List<Image> query(CatalogQuery query) {
      queries++;
      return super.query(query);
    }

    /** {@code [passes, finds, queries]} made by {@code report}, from zero. */
    int[] of(Supplier<?> report) {
      passes = 0;
      finds = 0;
      queries = 0;
      report.get();
      return new int[] {passes, finds, queries};
    }
  }

  private final CountingCatalog catalog = new CountingCatalog(new MemoryCatalog());
  private final MemoryTenancy tenancy = MemoryTenancy.builder()
      .project(ProjectId.of("producer")).project(ProjectId.of("consumer-a")).build();
  private final ImageGovernance governance = ImageGovernance.builder()
      .catalog(catalog)
      .blobStore(MemoryBlobStore.create("fast"))
      .usage(new MemoryUsageStore())
      .build();

  private Image image(String owner, String content) {
    Image queued = governance.images().create(ADMIN, NewImage.builder().name(content)
        .owner(owner).visibility(Visibility.SHARED).diskFormat("raw").containerFormat("bare")
        .build());
    if (content.isEmpty()) {
      return queued;
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return governance.data().upload(ADMIN, queued.id(), new ByteArrayInputStream(bytes),
        OptionalLong.of(bytes.length));
  }

  @Test
  void everyReportReadsTheCatalogInOnePassAndLooksNoImageUp() {
    for (int i = 0; i < 12; i++) {
      image(i % 3 == 0 ? "ghost" : i % 2 == 0 ? "producer" : "consumer-a", i % 4 == 0 ? "" : "c" + i);
    }
    HygieneRequest request = HygieneRequest.of(tenancy);
    HygieneReport hygiene = governance.reports().hygiene(ADMIN, request);
    assertThat(hygiene.findings(FindingKind.ORPHANED)).as("the report found something").isNotEmpty();

    assertThat(catalog.of(() -> governance.reports().hygiene(ADMIN, request)))
        .as("hygiene: passes, finds, queries").containsExactly(1, 0, 0);
    assertThat(catalog.of(() -> governance.reports().capacity(ADMIN, tenancy)))
        .as("capacity").containsExactly(1, 0, 0);
    assertThat(catalog.of(() -> governance.reports().reconcile(ADMIN, tenancy, false)))
        .as("reconcile").containsExactly(1, 0, 0);
    assertThat(catalog.of(() -> governance.quotas().recommend(ADMIN, tenancy, List.of(),
        QuotaPolicy.defaults()))).as("recommend").containsExactly(1, 0, 0);
    assertThat(catalog.of(() -> governance.reports().whatIf(ADMIN, tenancy,
        new WhatIf.SetLimit(ProjectId.of("producer"), 1L << 30))))
        .as("what-if").containsExactly(1, 0, 0);
  }

  @Test
  void theHygieneReportLooksUpOneImagePerDuplicateGroupWhateverItsSize() {
    for (int i = 0; i < 5; i++) {
      image("producer", "same");
      image("consumer-a", "other");
    }
    HygieneRequest request = HygieneRequest.of(tenancy);

    int[] reads = catalog.of(() -> governance.reports().hygiene(ADMIN, request));

    assertThat(reads).as("passes, finds (two groups of five), queries").containsExactly(1, 2, 0);
    assertThat(governance.reports().hygiene(ADMIN, request)
        .findings(FindingKind.DUPLICATE_IN_OWNER)).hasSize(8);
  }
}
