package dev.imagegov.data.inspect;

import static dev.imagegov.testkit.gen.DiskImages.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.testkit.gen.DiskImages;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FormatInspectorTest {
  private static final long GIB = 1L << 30;

  private static InspectionResult inspect(byte[] data) {
    return FormatInspector.inspect(RegionReader.of(data));
  }

  private static GovernanceException refusal(byte[] data, String diskFormat) {
    InspectionResult result = inspect(data);
    return (GovernanceException) org.assertj.core.api.Assertions.catchThrowable(
        () -> result.check(diskFormat));
  }

  @Test
  void qcow2Version2IsDetectedWithItsVirtualSize() {
    InspectionResult result = inspect(qcow2(2, 10 * GIB));
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.QCOW2);
    assertThat(result.virtualSize()).hasValue(10 * GIB);
    assertThat(result.safetyViolations()).isEmpty();
    result.check("qcow2");
  }

  @Test
  void qcow2Version3IsDetectedWithItsVirtualSize() {
    byte[] image = qcow2(3, 5 * GIB, 0, 0, qcow2Extension(0xE2792ACA, "raw"));
    InspectionResult result = inspect(image);
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.QCOW2);
    assertThat(result.virtualSize()).hasValue(5 * GIB);
    result.check("qcow2");
  }

  @Test
  void qcow2WithBackingFileIsUnsafe() {
    byte[] image = qcow2(3, GIB, 65536, 0, new byte[0]);
    System.arraycopy("/etc/pwd".getBytes(StandardCharsets.US_ASCII), 0, image, 65536 - 8, 8);
    InspectionResult result = inspect(image);
    assertThat(result.safetyViolations()).containsExactly("qcow2: has a backing file");
    GovernanceException e = refusal(image, "qcow2");
    assertThat(e.code()).isEqualTo(RuleCode.UNSAFE_IMAGE);
    assertThat(e.httpStatus()).isEqualTo(415);
    assertThat(e).hasMessageContaining("backing file");
  }

  @Test
  void qcow2WithDataFileFeatureBitIsUnsafe() {
    InspectionResult result = inspect(qcow2(3, GIB, 0, 1L << 2, new byte[0]));
    assertThat(result.safetyViolations()).singleElement().asString()
        .contains("external data file");
    assertThat(refusal(qcow2(3, GIB, 0, 1L << 2, new byte[0]), "qcow2").code())
        .isEqualTo(RuleCode.UNSAFE_IMAGE);
  }

  @Test
  void qcow2NamingHostFileAsDataFileIsUnsafeEvenWithoutTheFeatureBit() {
    byte[] image = qcow2(3, GIB, 0, 0, qcow2Extension(0x44415441, "/etc/shadow"));
    assertThat(inspect(image).safetyViolations()).singleElement().asString()
        .contains("data-file header extension");
  }

  @Test
  void qcow2WithUnknownIncompatibleFeatureIsUnsafe() {
    assertThat(inspect(qcow2(3, GIB, 0, 1L << 40, new byte[0])).safetyViolations())
        .singleElement().asString().contains("unknown incompatible feature");
  }

  @Test
  void qcow2WithUnsupportedVersionIsUnsafe() {
    assertThat(inspect(qcow2(7, GIB)).safetyViolations()).singleElement().asString()
        .contains("unsupported version 7");
  }

  @Test
  void truncatedQcow2HeaderIsUnsafe() {
    byte[] truncated = Arrays.copyOf(qcow2(3, GIB), 40);
    InspectionResult result = inspect(truncated);
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.QCOW2);
    assertThat(result.safetyViolations()).singleElement().asString().contains("truncated");
    assertThat(refusal(truncated, "qcow2").code()).isEqualTo(RuleCode.UNSAFE_IMAGE);
  }

  @Test
  void qcow2DeclaredAsRawIsRefused() {
    GovernanceException e = refusal(qcow2(3, GIB), "raw");
    assertThat(e.code()).isEqualTo(RuleCode.IMAGE_FORMAT_MISMATCH);
    assertThat(e).hasMessage("Image data is in format qcow2 but disk_format is raw");
  }

  @Test
  void qcow2DeclaredAsNonInspectableFormatIsRefused() {
    assertThat(refusal(qcow2(2, GIB), "ami").code()).isEqualTo(RuleCode.IMAGE_FORMAT_MISMATCH);
  }

  @Test
  void rawDataDeclaredAsQcow2IsRefused() {
    byte[] data = "just some text, not a disk".getBytes(StandardCharsets.US_ASCII);
    assertThat(refusal(data, "qcow2").code()).isEqualTo(RuleCode.IMAGE_FORMAT_MISMATCH);
  }

  @Test
  void rawDataIsRawWithItsSizeAsVirtualSize() {
    byte[] data = new byte[3000];
    Arrays.fill(data, (byte) 7);
    InspectionResult result = inspect(data);
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.RAW);
    assertThat(result.virtualSize()).hasValue(3000);
    result.check("raw");
    result.check("ami");
    result.check("aki");
  }

  @Test
  void emptyDataIsRaw() {
    InspectionResult result = inspect(new byte[0]);
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.RAW);
    assertThat(result.virtualSize()).hasValue(0);
  }

  @Test
  void vmdkMonolithicSparseIsDetectedWithItsVirtualSize() {
    InspectionResult result = inspect(vmdkSparse(2097152, SPARSE_DESCRIPTOR));
    assertThat(result.safetyViolations()).isEmpty();
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.VMDK);
    assertThat(result.virtualSize()).hasValue(GIB);
    result.check("vmdk");
  }

  @Test
  void vmdkStreamOptimizedWithMatchingFooterIsAccepted() {
    String descriptor = SPARSE_DESCRIPTOR.replace("monolithicSparse", "streamOptimized");
    byte[] body = vmdkSparse(2048, descriptor, -1L);
    byte[] image = Arrays.copyOf(body, body.length + 1536);
    System.arraycopy(body, 0, image, body.length + 512, 512); // footer = header copy
    InspectionResult result = inspect(image);
    assertThat(result.safetyViolations()).isEmpty();
    assertThat(result.virtualSize()).hasValue(2048 * 512L);
  }

  @Test
  void vmdkStreamOptimizedWithoutFooterIsUnsafe() {
    String descriptor = SPARSE_DESCRIPTOR.replace("monolithicSparse", "streamOptimized");
    assertThat(inspect(vmdkSparse(2048, descriptor, -1L)).safetyViolations())
        .singleElement().asString().contains("footer");
  }

  @Test
  void vmdkExtentPointingAtHostFileIsUnsafe() {
    String evil = SPARSE_DESCRIPTOR.replace("SPARSE \"disk.vmdk\"", "SPARSE \"/etc/passwd\"");
    assertThat(inspect(vmdkSparse(2097152, evil)).safetyViolations())
        .singleElement().asString().contains("path outside the image");
  }

  @Test
  void vmdkFlatExtentIsUnsafe() {
    String flat = SPARSE_DESCRIPTOR
        .replace("RW 2097152 SPARSE \"disk.vmdk\"", "RW 2097152 FLAT \"disk-flat.vmdk\" 0");
    assertThat(inspect(vmdkSparse(2097152, flat)).safetyViolations())
        .singleElement().asString().contains("FLAT");
  }

  @Test
  void vmdkDescriptorBasedCreateTypeIsUnsafe() {
    String split = SPARSE_DESCRIPTOR.replace("monolithicSparse", "twoGbMaxExtentSparse");
    assertThat(inspect(vmdkSparse(2097152, split)).safetyViolations())
        .singleElement().asString().contains("twogbmaxextentsparse");
  }

  @Test
  void vmdkWithZeroCapacityIsUnsafeBecauseQemuReadsItsDescriptorAsAFile() {
    assertThat(inspect(vmdkSparse(0, SPARSE_DESCRIPTOR)).safetyViolations())
        .singleElement().asString().contains("capacity 0");
  }

  @Test
  void vmdkDescriptorOfTheBoundedSizeIsInspectedWithoutRecursion() {
    // The descriptor is read up to 1 MiB and parsed line by line with loops and non-recursive
    // patterns: one extent line of nearly that size (a huge quoted name, long runs of spaces)
    // is a verdict, not a StackOverflowError.
    String huge = SPARSE_DESCRIPTOR.replace(
        "SPARSE \"disk.vmdk\"", "SPARSE" + " ".repeat(300_000) + "\"" + "d".repeat(600_000) + "\"");
    InspectionResult result = inspect(vmdkWithLongDescriptor(huge));
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.VMDK);
    assertThat(result.safetyViolations()).isEmpty();
    String unknown = SPARSE_DESCRIPTOR + "x".repeat(900_000) + "\n";
    assertThat(inspect(vmdkWithLongDescriptor(unknown)).safetyViolations())
        .singleElement().asString().contains("unrecognised line");
  }

  /** A sparse VMDK whose embedded descriptor is {@code descriptor}, however long. */
  private static byte[] vmdkWithLongDescriptor(String descriptor) {
    byte[] text = descriptor.getBytes(StandardCharsets.US_ASCII);
    long sectors = (text.length + 511) / 512;
    byte[] image = Arrays.copyOf(vmdkSparse(2097152, ""), (int) (512 + sectors * 512));
    java.nio.ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(36, sectors);
    System.arraycopy(text, 0, image, 512, text.length);
    return image;
  }

  @Test
  void vmdkDescriptorWithUnknownLineIsUnsafe() {
    String odd = SPARSE_DESCRIPTOR + "include /etc/passwd\n";
    assertThat(inspect(vmdkSparse(2097152, odd)).safetyViolations())
        .singleElement().asString().contains("unrecognised line");
  }

  @Test
  void vmdkTextDescriptorFileReferencingHostFileIsUnsafeWhateverItIsDeclaredAs() {
    String descriptor = "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n"
        + "RW 2048 FLAT \"/etc/passwd\" 0\n";
    byte[] data = descriptor.getBytes(StandardCharsets.US_ASCII);
    InspectionResult result = inspect(data);
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.VMDK);
    assertThat(result.isSafe()).isFalse();
    assertThat(refusal(data, "vmdk").code()).isEqualTo(RuleCode.UNSAFE_IMAGE);
    assertThat(refusal(data, "raw").code()).isEqualTo(RuleCode.UNSAFE_IMAGE);
  }

  @Test
  void dynamicVhdIsDetectedFromItsFooterCopy() {
    InspectionResult result = inspect(vhdDynamic(4 * GIB, 3));
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.VHD);
    assertThat(result.virtualSize()).hasValue(4 * GIB);
    result.check("vhd");
  }

  @Test
  void fixedVhdIsDetectedFromTheFooterAtTheEnd() {
    InspectionResult result = inspect(vhdFixed(8192));
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.VHD);
    assertThat(result.virtualSize()).hasValue(8192);
    result.check("vhd");
  }

  @Test
  void fixedVhdIsNotRecognisedFromAPrefixOfUnknownSize() {
    InputStream longer = new ByteArrayInputStream(vhdFixed(8192));
    InspectionResult result = FormatInspector.inspect(new RegionReaderPrefix(longer, 4096));
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.RAW);
    assertThat(result.virtualSize()).isEmpty();
  }

  @Test
  void differencingVhdIsUnsafe() {
    assertThat(inspect(vhdDynamic(GIB, 4)).safetyViolations())
        .singleElement().asString().contains("parent image");
  }

  @Test
  void vhdxIsDetectedWithItsVirtualSize() {
    InspectionResult result = inspect(vhdx(20 * GIB, false));
    assertThat(result.safetyViolations()).isEmpty();
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.VHDX);
    assertThat(result.virtualSize()).hasValue(20 * GIB);
    result.check("vhdx");
  }

  @Test
  void differencingVhdxIsUnsafe() {
    assertThat(inspect(vhdx(GIB, true)).safetyViolations())
        .singleElement().asString().contains("parent image");
  }

  @Test
  void vhdxWithMetadataBeyondAnInspectedPrefixIsUnsafe() {
    byte[] image = vhdx(GIB, false);
    InspectionResult result = FormatInspector.inspect(
        new RegionReaderPrefix(new ByteArrayInputStream(image), 512 * 1024));
    assertThat(result.safetyViolations()).singleElement().asString()
        .contains("beyond the inspected data");
  }

  @Test
  void vhdxWithGarbageRegionTableIsUnsafe() {
    byte[] image = vhdx(GIB, false);
    image[192 * 1024] = 'x';
    assertThat(inspect(image).safetyViolations()).singleElement().asString()
        .contains("region table signature");
  }

  @Test
  void isoIsDetectedWithItsVirtualSize() {
    InspectionResult result = inspect(iso(1000));
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.ISO);
    assertThat(result.virtualSize()).hasValue(1000 * 2048L);
    result.check("iso");
  }

  @Test
  void hybridIsoWithGptIsAnIso() {
    InspectionResult result = inspect(withGpt(iso(1000)));
    assertThat(result.matchedFormats()).containsExactlyInAnyOrder(ImageFormat.ISO, ImageFormat.GPT);
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.ISO);
    result.check("iso");
  }

  @Test
  void isoWithQcow2HeaderIsValidAsTwoFormatsAndUnsafe() {
    byte[] polyglot = overlay(iso(1000), Arrays.copyOf(qcow2(3, GIB), 4096));
    InspectionResult result = inspect(polyglot);
    assertThat(result.matchedFormats()).contains(ImageFormat.ISO, ImageFormat.QCOW2);
    assertThat(result.safetyViolations()).singleElement().asString()
        .contains("several formats").contains("qcow2").contains("iso");
    assertThat(refusal(polyglot, "iso").code()).isEqualTo(RuleCode.UNSAFE_IMAGE);
    assertThat(refusal(polyglot, "qcow2").code()).isEqualTo(RuleCode.UNSAFE_IMAGE);
  }

  @Test
  void qcow2WithGptIsValidAsTwoFormatsAndUnsafe() {
    InspectionResult result = inspect(withGpt(qcow2(3, GIB)));
    assertThat(result.safetyViolations()).singleElement().asString().contains("several formats");
  }

  @Test
  void rawDiskWithGptSatisfiesRaw() {
    InspectionResult result = inspect(withGpt(new byte[8192]));
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.GPT);
    assertThat(result.virtualSize()).hasValue(8192);
    result.check("raw");
    result.check("gpt");
  }

  @Test
  void vdiIsDetectedWithItsVirtualSize() {
    InspectionResult result = inspect(vdi(3 * GIB));
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.VDI);
    assertThat(result.virtualSize()).hasValue(3 * GIB);
    result.check("vdi");
  }

  @Test
  void qedIsAlwaysUnsafe() {
    byte[] qed = Arrays.copyOf(new byte[] {'Q', 'E', 'D', 0}, 512);
    assertThat(inspect(qed).detectedFormat()).isEqualTo(ImageFormat.QED);
    assertThat(refusal(qed, "raw").code()).isEqualTo(RuleCode.UNSAFE_IMAGE);
  }

  @Test
  void declaredFormatIsComparedCaseInsensitively() {
    inspect(qcow2(2, GIB)).check("QCOW2");
  }

  @Test
  void inputStreamInspectionReadsOnlyAPrefix() {
    byte[] image = qcow2(3, 7 * GIB);
    InspectionResult result = FormatInspector.inspect(new ByteArrayInputStream(image));
    assertThat(result.virtualSize()).hasValue(7 * GIB);
  }

  @Test
  void arbitraryBytesNeverThrowAnythingButAVerdict() {
    qt().withExamples(300)
        .forAll(longs().all(), integers().between(4, 2048), integers().between(0, 4))
        .checkAssert((seed, length, magic) -> {
          byte[] data = new byte[length];
          new Random(seed).nextBytes(data);
          byte[][] magics = {
            {'Q', 'F', 'I', (byte) 0xFB}, {'K', 'D', 'M', 'V'}, {'v', 'h', 'd', 'x'},
            {'c', 'o', 'n', 'e'}, {0, 0, 0, 0}
          };
          System.arraycopy(magics[magic], 0, data, 0, 4);
          InspectionResult result = inspect(data);
          assertThat(result.detectedFormat()).isNotNull();
          try {
            result.check(result.detectedFormat().diskFormat());
          } catch (GovernanceException e) {
            assertThat(e.code()).isIn(RuleCode.UNSAFE_IMAGE, RuleCode.IMAGE_FORMAT_MISMATCH);
          }
        });
  }

  @Test
  void checkRefusesUnsafeDataBeforeComparingFormats() {
    assertThatThrownBy(() -> inspect(qcow2(3, GIB, 4096, 0, new byte[0])).check("raw"))
        .isInstanceOf(GovernanceException.class)
        .extracting(e -> ((GovernanceException) e).code())
        .isEqualTo(RuleCode.UNSAFE_IMAGE);
  }
}
