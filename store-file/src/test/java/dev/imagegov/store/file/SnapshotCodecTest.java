package dev.imagegov.store.file;

import static dev.imagegov.testkit.gen.Images.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.codec.ImageCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The binary snapshot payloads of format version 4 read back exactly what was written (every
 * field, the order of tags, properties, locations and members, instants to the nanosecond), are
 * smaller than the JSON they replace, and are read strictly: a cut, an extra byte or an unknown
 * code is refused naming the field and the payload offset.
 */
class SnapshotCodecTest {
  private static final List<Image> IMAGES = List.of(
      FileCatalogUpgradeTest.image(1).withVersion(1),
      FileCatalogUpgradeTest.image(4).withVersion(2),
      FileCatalogUpgradeTest.image(35).withVersion(9),
      Image.builder().id(ImageId.of("ABCDEF01-2345-6789-ABCD-EF0123456789"))
          .createdAt(T0.minusSeconds(1).plusNanos(999_999_999)).updatedAt(T0).version(1).build(),
      Image.builder().id(FileCatalogUpgradeTest.id(99)).status(ImageStatus.KILLED)
          .visibility(Visibility.COMMUNITY).minDisk(-3).minRam(Integer.MAX_VALUE).size(0)
          .createdAt(T0).updatedAt(T0).version(Long.MAX_VALUE).build());

  @Test
  void everyImageReadsBackEqualWithItsOrdersAndIsSmallerThanItsJson() {
    for (Image image : IMAGES) {
      byte[] bytes = SnapshotCodec.encode(image);
      Image read = SnapshotCodec.decodeImage(bytes);
      assertThat(read).isEqualTo(image);
      assertThat(read.id().value()).isEqualTo(image.id().value());
      assertThat(List.copyOf(read.tags())).isEqualTo(List.copyOf(image.tags()));
      assertThat(List.copyOf(read.properties().keySet()))
          .isEqualTo(List.copyOf(image.properties().keySet()));
      assertThat(List.copyOf(read.members().values()))
          .isEqualTo(List.copyOf(image.members().values()));
      assertThat(bytes.length).as("%s", image.id()).isLessThan(ImageCodec.encode(image).length);
    }
  }

  @Test
  void decodingThroughADictionaryReadsBackEqualAndSharesRepeatedValuesAcrossReaders() {
    Interner dictionary = new Interner();
    Interner.Reader one = dictionary.reader();
    Interner.Reader other = dictionary.reader();
    Image first = FileCatalogUpgradeTest.image(2).withVersion(1);
    Image second = FileCatalogUpgradeTest.image(6).withVersion(3);
    byte[] a = SnapshotCodec.encode(first);
    byte[] b = SnapshotCodec.encode(second);
    Image readA = SnapshotCodec.decodeImage(a, 0, a.length, one);
    Image readB = SnapshotCodec.decodeImage(b, 0, b.length, other);
    assertThat(readA).isEqualTo(first);
    assertThat(readB).isEqualTo(second);
    assertThat(SnapshotCodec.decodeImage(a, 0, a.length, other)).isEqualTo(first);
    // Same owner, formats, property key and value, store and member: one object each.
    assertThat(readB.owner().get()).isSameAs(readA.owner().get());
    assertThat(readB.diskFormat().get()).isSameAs(readA.diskFormat().get());
    assertThat(readB.osHashAlgo().get()).isSameAs(readA.osHashAlgo().get());
    assertThat(readB.properties().get("os_distro")).isSameAs(readA.properties().get("os_distro"));
    assertThat(readB.locations().get(0).store()).isSameAs(readA.locations().get(0).store());
    assertThat(readB.members().keySet().iterator().next())
        .isSameAs(readA.members().keySet().iterator().next());
    // Without a dictionary no string is shared (project ids are, by ProjectId.of itself).
    Image plain = SnapshotCodec.decodeImage(a);
    assertThat(plain.properties().get("os_distro"))
        .isEqualTo(readA.properties().get("os_distro"))
        .isNotSameAs(readA.properties().get("os_distro"));
    assertThat(plain.owner().get()).isSameAs(readA.owner().get());
  }

  @Test
  void aDictionaryDoesNotInternLongValuesAndRefusesAnEmptyOwnerAsPlainDecodingDoes() {
    Interner.Reader reader = new Interner().reader();
    byte[] text = "x".repeat(Interner.MAX_BYTES + 1).getBytes(StandardCharsets.UTF_8);
    assertThat(reader.string(text, 0, text.length))
        .isEqualTo(new String(text, StandardCharsets.UTF_8))
        .isNotSameAs(reader.string(text, 0, text.length));
    assertThat(reader.string(text, 1, Interner.MAX_BYTES))
        .isSameAs(reader.string(text, 0, Interner.MAX_BYTES));
    assertThatThrownBy(() -> reader.project(text, 0, 0))
        .isInstanceOf(GovernanceException.class);
  }

  @Test
  void tombstonesReadBackWithTheImageTheyKeep() {
    Image kept = FileCatalogUpgradeTest.image(3).withVersion(4);
    Tombstone pending = Tombstone.pending(kept, T0.plusSeconds(5));
    Tombstone read = SnapshotCodec.decodeTombstone(SnapshotCodec.encode(pending));
    assertThat(read).isEqualTo(pending);
    assertThat(read.retained()).contains(kept);
    Tombstone unowned = Tombstone.of(FileCatalogUpgradeTest.id(8), Optional.empty(),
        ImageStatus.DELETED, T0);
    assertThat(SnapshotCodec.decodeTombstone(SnapshotCodec.encode(unowned))).isEqualTo(unowned);
    Tombstone owned = Tombstone.of(FileCatalogUpgradeTest.id(8),
        Optional.of(ProjectId.of("alice")), ImageStatus.PENDING_DELETE, T0);
    Tombstone back = SnapshotCodec.decodeTombstone(SnapshotCodec.encode(owned));
    assertThat(back).isEqualTo(owned);
    assertThat(back.retained()).isEmpty();
  }

  @Test
  void theCodeTablesCoverEveryValueOnce() {
    assertThat(EnumSet.copyOf(Arrays.asList(SnapshotCodec.STATUSES)))
        .hasSize(SnapshotCodec.STATUSES.length).isEqualTo(EnumSet.allOf(ImageStatus.class));
    assertThat(EnumSet.copyOf(Arrays.asList(SnapshotCodec.VISIBILITIES)))
        .hasSize(SnapshotCodec.VISIBILITIES.length).isEqualTo(EnumSet.allOf(Visibility.class));
    assertThat(EnumSet.copyOf(Arrays.asList(SnapshotCodec.MEMBER_STATUSES)))
        .hasSize(SnapshotCodec.MEMBER_STATUSES.length)
        .isEqualTo(EnumSet.allOf(MemberStatus.class));
  }

  @Test
  void everyCutOfAPayloadAndAnExtraByteAreRefusedNamingTheOffset() {
    byte[] bytes = SnapshotCodec.encode(FileCatalogUpgradeTest.image(1).withVersion(1));
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> SnapshotCodec.decodeImage(cut)).as("cut at %d", length)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload offset");
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> SnapshotCodec.decodeImage(longer))
        .hasMessageContaining("1 bytes follow the record");
  }

  @Test
  void anUnknownStatusCodeOrFlagIsRefused() {
    byte[] bytes = SnapshotCodec.encode(FileCatalogUpgradeTest.image(1).withVersion(1));
    // flags (2 bytes), id kind and 16 bytes, then the status code.
    byte[] status = bytes.clone();
    status[19] = (byte) SnapshotCodec.STATUSES.length;
    assertThatThrownBy(() -> SnapshotCodec.decodeImage(status))
        .hasMessageContaining("'status' at payload offset 20: unknown code");
    byte[] flags = bytes.clone();
    flags[0] = (byte) 0x80;
    assertThatThrownBy(() -> SnapshotCodec.decodeImage(flags))
        .hasMessageContaining("'image flags'").hasMessageContaining("unknown flags");
  }
}
