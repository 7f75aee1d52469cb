package dev.imagegov;

import static dev.imagegov.Fixtures.PRODUCER;
import static dev.imagegov.testkit.gen.DiskImages.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.data.Imports;
import dev.imagegov.data.imports.ImportRequest;
import dev.imagegov.data.imports.ImportTask;
import dev.imagegov.data.imports.TaskStatus;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.testkit.gen.DiskImages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Inspect-and-reject (reference §10.4, Glance master's {@code require_image_format_match}): the
 * data of a {@code bare} image is inspected before the image becomes active, on uploads and
 * imports; unsafe data or data not in its {@code disk_format} is refused with 415 and the image
 * is back in {@code queued} with nothing stored and no usage; {@code virtual_size} comes from the
 * header.
 */
class InspectionRulesTest {
  private final ImportFixtures f = new ImportFixtures();

  private void assertRefusedAtUpload(byte[] data, String diskFormat, ErrorCode code) {
    Image image = f.queued(PRODUCER, diskFormat, "bare");
    Expect.fails(code, () -> f.upload(PRODUCER, image.id(), data));
    Image after = f.stored(image.id());
    assertThat(after.status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(after.size()).isEmpty();
    assertThat(after.locations()).isEmpty();
    assertThat(f.leftNothing(image.id(), PRODUCER)).isTrue();
  }

  @Test
  void qcow2DeclaredQcow2BecomesActiveWithTheHeadersVirtualSize() {
    Image image = f.queued(PRODUCER, "qcow2", "bare");
    Image active = f.upload(PRODUCER, image.id(), DiskImages.qcow2(10 * GIB));
    assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(active.virtualSize()).hasValue(10 * GIB);
    assertThat(active.size()).hasValue(65536);
  }

  @Test
  void rawDataRecordsItsSizeAsVirtualSize() {
    Image image = f.queued(PRODUCER);
    Image active =
        f.upload(PRODUCER, image.id(), "plain bytes".getBytes(StandardCharsets.US_ASCII));
    assertThat(active.virtualSize()).hasValue(11);
  }

  @Test
  void fixedVhdIsRecognisedByTheFooterAtTheEndOfTheStoredData() {
    Image image = f.queued(PRODUCER, "vhd", "bare");
    Image active = f.upload(PRODUCER, image.id(), DiskImages.vhdFixed(8192));
    assertThat(active.virtualSize()).hasValue(8192);
  }

  @Test
  void qcow2DeclaredRawIsRefusedAsAFormatMismatch() {
    assertRefusedAtUpload(DiskImages.qcow2(GIB), "raw", RuleCode.IMAGE_FORMAT_MISMATCH);
  }

  @Test
  void rawDataDeclaredQcow2IsRefusedAsAFormatMismatch() {
    assertRefusedAtUpload(new byte[4096], "qcow2", RuleCode.IMAGE_FORMAT_MISMATCH);
  }

  @Test
  void qcow2WithABackingFileIsRefusedAsUnsafe() {
    assertRefusedAtUpload(DiskImages.qcow2WithBackingFile(), "qcow2", RuleCode.UNSAFE_IMAGE);
  }

  @Test
  void qcow2WithAnExternalDataFileIsRefusedAsUnsafe() {
    assertRefusedAtUpload(DiskImages.qcow2WithDataFile(), "qcow2", RuleCode.UNSAFE_IMAGE);
  }

  @Test
  void vmdkWithAnExtentOutsideTheImageIsRefusedAsUnsafe() {
    assertRefusedAtUpload(DiskImages.vmdkExtentOutside(), "vmdk", RuleCode.UNSAFE_IMAGE);
  }

  @Test
  void unsafeDataIsRefusedWhateverDiskFormatItClaims() {
    assertRefusedAtUpload(DiskImages.vmdkExtentOutside(), "raw", RuleCode.UNSAFE_IMAGE);
  }

  @Test
  void aRefusedImageCanBeUploadedAgainWithGoodData() {
    Image image = f.queued(PRODUCER, "qcow2", "bare");
    Expect.fails(
        RuleCode.UNSAFE_IMAGE,
        () -> f.upload(PRODUCER, image.id(), DiskImages.qcow2WithBackingFile()));
    assertThat(f.upload(PRODUCER, image.id(), DiskImages.qcow2(GIB)).status())
        .isEqualTo(ImageStatus.ACTIVE);
  }

  @Test
  void dataOfNonBareContainersIsNotInspected() {
    Image image = f.queued(PRODUCER, "raw", "ovf");
    Image active = f.upload(PRODUCER, image.id(), DiskImages.qcow2(GIB));
    assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(active.virtualSize()).isEmpty();
  }

  @Test
  void withoutRequireImageFormatMatchNothingIsRefusedAndOnlyMatchesRecordVirtualSize() {
    ImportFixtures lax =
        new ImportFixtures(GovernanceConfig.builder().requireImageFormatMatch(false).build());
    Image mismatch = lax.queued(PRODUCER, "raw", "bare");
    Image stored = lax.upload(PRODUCER, mismatch.id(), DiskImages.qcow2(GIB));
    assertThat(stored.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(stored.virtualSize()).isEmpty();
    Image match = lax.queued(PRODUCER, "qcow2", "bare");
    assertThat(lax.upload(PRODUCER, match.id(), DiskImages.qcow2(GIB)).virtualSize())
        .hasValue(GIB);
  }

  @Test
  void glanceDirectImportOfAnUnsafeImageFailsAndLeavesItQueuedWithNothingStaged() {
    Image image = f.queued(PRODUCER, "qcow2", "bare");
    f.stage(PRODUCER, image.id(), DiskImages.qcow2WithDataFile());
    ImportTask task = f.imports().importImage(PRODUCER, image.id(), ImportRequest.glanceDirect());
    assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(task.message()).contains("safety checks");
    Image after = f.stored(image.id());
    assertThat(after.status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(after.properties()).containsEntry(Imports.FAILED_IMPORT, "fast")
        .doesNotContainKeys(Imports.IMPORT_TASK, Imports.IMPORTING_TO_STORES);
    assertThat(f.leftNothing(image.id(), PRODUCER)).isTrue();
  }

  @Test
  void glanceDirectImportRecordsTheVirtualSize() {
    Image image = f.queued(PRODUCER, "qcow2", "bare");
    f.stage(PRODUCER, image.id(), DiskImages.qcow2(3 * GIB));
    f.imports().importImage(PRODUCER, image.id(), ImportRequest.glanceDirect());
    assertThat(f.stored(image.id()).virtualSize()).hasValue(3 * GIB);
  }
}
