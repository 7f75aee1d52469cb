package dev.imagegov;

import static dev.imagegov.ReportWorld.ADMIN;
import static dev.imagegov.ReportWorld.FAST;
import static dev.imagegov.ReportWorld.PRODUCER_P;
import static dev.imagegov.ReportWorld.SLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.report.WhatIf;
import dev.imagegov.report.WhatIfReport;
import dev.imagegov.report.WhatIfReport.ProjectEffect;
import dev.imagegov.report.WhatIfReport.StoreEffect;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.store.memory.MemoryBlobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What-if: the effect of a change on every project's storage headroom and every store's free
 * bytes, with nothing changed. Stores: {@code fast} 10,000 bytes, {@code slow} 100,000; every
 * project may store 6 KiB.
 */
class WhatIfTest {
  private static final ProjectId A = ProjectId.of("consumer-a");
  private final ReportWorld w =
      new ReportWorld(GovernanceConfig.builder().userStorageQuota("6KB").build());

  private WhatIfReport whatIf(WhatIf change) {
    List<String> before = state();
    WhatIfReport report = w.governance.reports().whatIf(ADMIN, w.tenancy, change);
    assertThat(state()).as("a what-if changes nothing").isEqualTo(before);
    return report;
  }

  /** Everything a change could touch: every image, every stored blob, every project's usage. */
  private List<String> state() {
    List<String> out = new ArrayList<>();
    TreeMap<String, String> images = new TreeMap<>();
    w.catalog.forEach(i -> images.put(i.id().value(), i.toString()));
    out.addAll(images.values());
    for (MemoryBlobStore s : List.of(w.fast, w.slow, w.staging)) {
      for (BlobKey k : s.keys()) {
        out.add(s.id() + "/" + k + "=" + s.size(k));
      }
      out.add(s.id() + " used " + s.capacity().used());
    }
    for (String p : List.of("producer", "consumer-a", "consumer-b")) {
      out.add(w.usage.snapshot(ProjectId.of(p)).toString());
    }
    return out;
  }

  private static ProjectEffect project(WhatIfReport r, String project) {
    return r.projects().stream().filter(p -> p.project().value().equals(project)).findFirst()
        .orElseThrow();
  }

  private static StoreEffect store(WhatIfReport r, StoreId store) {
    return r.stores().stream().filter(s -> s.store().equals(store)).findFirst().orElseThrow();
  }

  @Test
  void aCopyChargesItsOwnerOnceMoreAndTakesTheTargetStoresBytes() {
    Image image = w.active("producer", "golden", Visibility.PUBLIC, "x".repeat(1000));

    WhatIfReport r = whatIf(new WhatIf.CopyImage(image.id(), SLOW));

    assertThat(project(r, "producer").headroomBefore()).hasValue(6144 - 1000);
    assertThat(project(r, "producer").headroomAfter()).hasValue(6144 - 2000);
    assertThat(project(r, "consumer-a").changes()).isFalse();
    assertThat(store(r, SLOW).freeBefore()).isEqualTo(100_000);
    assertThat(store(r, SLOW).freeAfter()).isEqualTo(99_000);
    assertThat(store(r, FAST).freeAfter()).isEqualTo(store(r, FAST).freeBefore());
    assertThat(r.notes()).isEmpty();
  }

  @Test
  void aCopyOverTheOwnersLimitWouldBeRefused() {
    Image image = w.active("producer", "big", Visibility.PRIVATE, "x".repeat(4000));

    WhatIfReport r = whatIf(new WhatIf.CopyImage(image.id(), SLOW));

    assertThat(project(r, "producer").headroomAfter()).hasValue(6144 - 8000);
    assertThat(r.notes()).containsExactly(
        "copy-image would be refused (413): producer would store 8000 bytes, over its limit of"
            + " 6144");
  }

  @Test
  void aCopyIntoAStoreWithoutRoomWouldFillIt() {
    Image image = w.active("producer", "golden", Visibility.PRIVATE, "x".repeat(1000));
    ReportWorld.writeBehind(w.slow, ReportWorld.strayId(1), 99_500);

    WhatIfReport r = whatIf(new WhatIf.CopyImage(image.id(), SLOW));

    assertThat(store(r, SLOW).freeAfter()).isZero();
    assertThat(r.notes()).containsExactly("store slow would be full: 1000 more bytes, 500 free");
  }

  @Test
  void raisingALimitChangesTheProjectsHeadroomAndTheSumEveryStoreIsMeasuredAgainst() {
    w.active("producer", "golden", Visibility.PRIVATE, "x".repeat(1000));

    WhatIfReport r = whatIf(new WhatIf.SetLimit(PRODUCER_P, 100_000));

    assertThat(project(r, "producer").headroomBefore()).hasValue(5144);
    assertThat(project(r, "producer").headroomAfter()).hasValue(99_000);
    assertThat(store(r, SLOW).limitsBefore()).isEqualTo(3 * 6144);
    assertThat(store(r, SLOW).limitsAfter()).isEqualTo(2 * 6144 + 100_000);
    assertThat(store(r, SLOW).freeAfter()).isEqualTo(store(r, SLOW).freeBefore());
    assertThat(r.notes()).as("fast is overcommitted already; slow becomes so").containsExactly(
        "store slow would be overcommitted: the storage limits would sum to 112288 bytes, over"
            + " its 100000");
  }

  @Test
  void removingALimitLeavesTheProjectWithoutBound() {
    WhatIfReport r = whatIf(new WhatIf.SetLimit(A, -1));

    assertThat(project(r, "consumer-a").headroomAfter()).isEqualTo(OptionalLong.empty());
    assertThat(store(r, SLOW).limitsAfter()).isEqualTo(-1);
  }

  @Test
  void deletingTheDuplicatesFreesTheirBytesAndTheirOwnersUsage() {
    w.active("consumer-a", "one", Visibility.PRIVATE, "same bytes");
    Image second = w.active("consumer-a", "two", Visibility.PRIVATE, "same bytes");
    w.governance.data().copyToStores(ADMIN, second.id(), List.of(SLOW));

    WhatIfReport r = whatIf(new WhatIf.DeleteDuplicates(w.hygiene()));

    assertThat(project(r, "consumer-a").usageBefore()).isEqualTo(30);
    assertThat(project(r, "consumer-a").usageAfter()).isEqualTo(10);
    assertThat(store(r, FAST).freeAfter() - store(r, FAST).freeBefore()).isEqualTo(10);
    assertThat(store(r, SLOW).freeAfter() - store(r, SLOW).freeBefore()).isEqualTo(10);
  }

  @Test
  void badChangesAreNamedAndChangeNothing() {
    Image image = w.active("producer", "golden", Visibility.PRIVATE, "golden");
    ImageId missing = ImageId.of(ReportWorld.strayId(9));

    assertThatThrownBy(() -> whatIf(new WhatIf.CopyImage(image.id(), FAST)))
        .isInstanceOfSatisfying(GovernanceException.class, e -> {
          assertThat(e.code()).isEqualTo(RuleCode.INVALID_REPORT_VALUE);
          assertThat(e.getMessage()).isEqualTo(
              "Image " + image.id() + " is already in store fast.");
        });
    assertThatThrownBy(() -> whatIf(new WhatIf.CopyImage(missing, SLOW)))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.getMessage()).isEqualTo("No image found with ID " + missing));
    assertThatThrownBy(() -> whatIf(new WhatIf.SetLimit(A, -2)))
        .hasMessageContaining("at least 0 bytes, or -1");
    assertThatThrownBy(() -> w.governance.reports().whatIf(ReportWorld.PRODUCER, w.tenancy,
        new WhatIf.SetLimit(A, 1))).isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.REPORTS_ADMIN_ONLY));
  }
}
