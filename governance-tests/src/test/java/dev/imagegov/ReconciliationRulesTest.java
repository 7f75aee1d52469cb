package dev.imagegov;

import static dev.imagegov.ReportWorld.ADMIN;
import static dev.imagegov.ReportWorld.FAST;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.report.ReconciliationReport;
import dev.imagegov.report.ReconciliationReport.Drift;
import dev.imagegov.report.ReconciliationReport.HeldReservation;
import dev.imagegov.spi.usage.UsageDelta;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageStore;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Examples of drift between the usage port and the catalog, and its repair. */
class ReconciliationRulesTest {
  private final ReportWorld w = new ReportWorld();
  private static final ProjectId A = ProjectId.of("consumer-a");

  @Test
  void driftPerProjectAndStoreIsReportedAndRepairedOnRequest() {
    w.active("consumer-a", "one", Visibility.PRIVATE, "0123456789");
    w.usage.record(new UsageDelta(A, ImmutableMap.of(FAST, 5L), 0, 2, 0));
    w.usage.record(new UsageDelta(ProjectId.of("consumer-b"), ImmutableMap.of(), 7, 0, 1));

    ReconciliationReport found = w.governance.reports().reconcile(ADMIN, w.tenancy, false);

    assertThat(found.drifts()).containsExactly(
        new Drift(A, UsageKind.STORED_BYTES, Optional.of(FAST), 10, 15),
        new Drift(A, UsageKind.IMAGES, Optional.empty(), 1, 3),
        new Drift(ProjectId.of("consumer-b"), UsageKind.STAGED_BYTES, Optional.empty(), 0, 7),
        new Drift(ProjectId.of("consumer-b"), UsageKind.UPLOADS, Optional.empty(), 0, 1));
    assertThat(found.repaired()).isFalse();
    assertThat(w.governance.reports().reconcile(ADMIN, w.tenancy, false).drifts())
        .as("a report without repair changes nothing").isEqualTo(found.drifts());

    ReconciliationReport repaired = w.governance.reports().reconcile(ADMIN, w.tenancy, true);

    assertThat(repaired.drifts()).isEqualTo(found.drifts());
    assertThat(w.governance.reports().reconcile(ADMIN, w.tenancy, false).isReconciled()).isTrue();
    assertThat(w.usage.snapshot(A).storedBytes()).isEqualTo(10);
    assertThat(w.usage.snapshot(A).images()).isEqualTo(1);
  }

  @Test
  void usageOfAProjectWithNoImageLeftIsDrift() {
    w.usage.record(new UsageDelta(ProjectId.of("producer"), ImmutableMap.of(FAST, 3L), 0, 1, 0));

    assertThat(w.governance.reports().reconcile(ADMIN, w.tenancy, true).drifts())
        .extracting(Drift::excess).containsExactly(3L, 1L);
    assertThat(w.usage.snapshot(ProjectId.of("producer")).storedByStore()).isEmpty();
  }

  @Test
  void aReservationNoWorkInProgressAccountsForIsReportedAndNotReleasedByRepair() {
    w.active("consumer-a", "one", Visibility.PRIVATE, "0123456789");
    UsageStore.Reservation lost = w.usage.open(A);
    lost.tryGrow(UsageKind.STORED_BYTES, 100, -1);
    lost.tryGrow(UsageKind.UPLOADS, 1, -1);

    ReconciliationReport report = w.governance.reports().reconcile(ADMIN, w.tenancy, true);

    assertThat(report.drifts()).isEmpty();
    assertThat(report.reservations()).containsExactly(
        new HeldReservation(A, UsageKind.STORED_BYTES, 100, 0),
        new HeldReservation(A, UsageKind.UPLOADS, 1, 0));
    assertThat(report.isReconciled()).isFalse();
    assertThat(w.usage.snapshot(A).reserved(UsageKind.STORED_BYTES))
        .as("repair leaves reservations to the work that holds them").isEqualTo(100);
    lost.close();
    assertThat(w.governance.reports().reconcile(ADMIN, w.tenancy, false).isReconciled()).isTrue();
  }

  @Test
  void aProjectWithWorkInProgressMayHoldOneUploadPerImage() {
    Image queued = w.queued("consumer-a", "uploading", Visibility.PRIVATE);
    w.catalog.compareAndSet(queued.version(), queued.toBuilder().status(ImageStatus.SAVING).build());
    UsageStore.Reservation upload = w.usage.open(A);
    upload.tryGrow(UsageKind.STORED_BYTES, 4096, -1);
    upload.tryGrow(UsageKind.UPLOADS, 1, -1);
    UsageStore.Reservation second = w.usage.open(A);
    second.tryGrow(UsageKind.UPLOADS, 1, -1);

    ReconciliationReport report = w.governance.reports().reconcile(ADMIN, w.tenancy, false);

    assertThat(report.reservations()).containsExactly(
        new HeldReservation(A, UsageKind.UPLOADS, 2, 1));
    second.close();
    assertThat(w.governance.reports().reconcile(ADMIN, w.tenancy, false).reservations())
        .isEmpty();
    upload.close();
  }
}
