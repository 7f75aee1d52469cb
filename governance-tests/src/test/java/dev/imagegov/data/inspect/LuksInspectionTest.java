package dev.imagegov.data.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LUKS encrypted volumes, as Glance's format inspector ({@code oslo_utils.imageutils
 * .format_inspector.LUKSInspector}, which Glance runs on uploads and imports) handles them: both
 * versions share the magic {@code LUKS\xba\xbe}; version 1 is a format of its own whose virtual
 * size is the data after the header's payload offset; any other version, 2 included, fails the
 * {@code version} safety check whatever the image is declared as.
 */
class LuksInspectionTest {
  /** The payload offset of the test volumes, in 512-byte sectors (cryptsetup's default). */
  private static final int PAYLOAD_SECTORS = 4096;
  private static final int PAYLOAD_BYTES = 64 * 1024;

  /** A LUKS version 1 volume: the 592-byte header, key material, then an encrypted payload. */
  private static byte[] luks1() {
    byte[] volume = new byte[PAYLOAD_SECTORS * 512 + PAYLOAD_BYTES];
    ByteBuffer b = ByteBuffer.wrap(volume);
    b.put(new byte[] {'L', 'U', 'K', 'S', (byte) 0xBA, (byte) 0xBE}).putShort((short) 1);
    b.put(field("aes", 32)).put(field("xts-plain64", 32)).put(field("sha256", 32));
    b.putInt(PAYLOAD_SECTORS).putInt(64);
    // Key slots, digests and the payload: bytes that look like ciphertext.
    byte[] noise = new byte[volume.length - 600];
    new Random(7).nextBytes(noise);
    System.arraycopy(noise, 0, volume, 600, noise.length);
    return volume;
  }

  /** A LUKS version 2 volume: binary header, JSON metadata area, then an encrypted payload. */
  private static byte[] luks2() {
    byte[] volume = new byte[16 * 1024 * 1024 / 8 + PAYLOAD_BYTES];
    ByteBuffer b = ByteBuffer.wrap(volume);
    b.put(new byte[] {'L', 'U', 'K', 'S', (byte) 0xBA, (byte) 0xBE}).putShort((short) 2);
    b.putLong(16384).putLong(1).put(field("", 48)).put(field("sha256", 32));
    byte[] json = "{\"keyslots\":{},\"segments\":{\"0\":{\"type\":\"crypt\",\"offset\":\"16777216\"}}}"
        .getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(json, 0, volume, 4096, json.length);
    return volume;
  }

  private static byte[] field(String text, int length) {
    return Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), length);
  }

  private static InspectionResult inspect(byte[] data) {
    return FormatInspector.inspect(RegionReader.of(data));
  }

  private static GovernanceException refusal(byte[] data, String diskFormat) {
    InspectionResult result = inspect(data);
    return catchThrowableOfType(GovernanceException.class, () -> result.check(diskFormat));
  }

  @Test
  void luks1DeclaredLuksIsAcceptedWithThePayloadAsVirtualSize() {
    InspectionResult result = inspect(luks1());
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.LUKS);
    assertThat(result.matchedFormats()).containsExactly(ImageFormat.LUKS);
    assertThat(result.isSafe()).isTrue();
    assertThat(result.virtualSize()).hasValue(PAYLOAD_BYTES);
    result.check("luks");
    result.check("LUKS");
  }

  /**
   * Glance accepts a LUKS version 1 volume declared {@code raw} (its safety checks pass, the
   * byte size becomes the virtual size); imagegov refuses any structured format declared {@code
   * raw} (README, "Differences from Glance").
   */
  @Test
  void luks1DeclaredRawIsRefusedAsAFormatMismatch() {
    GovernanceException e = refusal(luks1(), "raw");
    assertThat(e.code()).isEqualTo(RuleCode.IMAGE_FORMAT_MISMATCH);
    assertThat(e).hasMessage("Image data is in format luks but disk_format is raw");
  }

  /** As in Glance: "Image disk_format qcow2 does not match stream data luks" (415). */
  @Test
  void luks1DeclaredQcow2IsRefusedAsAFormatMismatch() {
    GovernanceException e = refusal(luks1(), "qcow2");
    assertThat(e.code()).isEqualTo(RuleCode.IMAGE_FORMAT_MISMATCH);
    assertThat(e).hasMessage("Image data is in format luks but disk_format is qcow2");
  }

  @Test
  void luks1DeclaredANonInspectableFormatIsRefused() {
    assertThat(refusal(luks1(), "ami").code()).isEqualTo(RuleCode.IMAGE_FORMAT_MISMATCH);
  }

  @Test
  void luks2IsRecognisedAsLuksAndFailsTheVersionCheck() {
    InspectionResult result = inspect(luks2());
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.LUKS);
    assertThat(result.matchedFormats()).containsExactly(ImageFormat.LUKS);
    assertThat(result.safetyViolations()).containsExactly("luks: LUKS version 2 is not supported");
    assertThat(result.isSafe()).isFalse();
  }

  /** As in Glance: the detected inspector's safety check runs for a declared luks or raw. */
  @Test
  void luks2DeclaredLuksOrRawIsRefusedAsUnsafe() {
    for (String declared : new String[] {"luks", "raw"}) {
      GovernanceException e = refusal(luks2(), declared);
      assertThat(e.code()).as(declared).isEqualTo(RuleCode.UNSAFE_IMAGE);
      assertThat(e.getMessage()).as(declared).contains("LUKS version 2 is not supported");
    }
  }

  /**
   * Refused, as by Glance. Glance names the mismatch (it compares formats before the safety
   * check); imagegov runs the safety checks first, so the same 415 names the unsafe version.
   */
  @Test
  void luks2DeclaredQcow2IsRefused() {
    GovernanceException e = refusal(luks2(), "qcow2");
    assertThat(e.code()).isEqualTo(RuleCode.UNSAFE_IMAGE);
    assertThat(e.getMessage()).contains("LUKS version 2 is not supported");
  }

  @Test
  void anotherLuksVersionIsUnsafe() {
    byte[] volume = luks1();
    volume[7] = 3;
    assertThat(inspect(volume).safetyViolations())
        .containsExactly("luks: LUKS version 3 is not supported");
  }

  @Test
  void aTruncatedLuksHeaderIsUnsafe() {
    InspectionResult result = inspect(Arrays.copyOf(luks1(), 64));
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.LUKS);
    assertThat(result.safetyViolations()).singleElement().asString().contains("truncated");
  }

  @Test
  void aPayloadOffsetBeyondTheDataGivesNoVirtualSize() {
    InspectionResult result = inspect(Arrays.copyOf(luks1(), 4096));
    assertThat(result.detectedFormat()).isEqualTo(ImageFormat.LUKS);
    assertThat(result.virtualSize()).isEmpty();
  }
}
