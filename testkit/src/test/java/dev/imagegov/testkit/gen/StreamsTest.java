package dev.imagegov.testkit.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.imagegov.spi.blob.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Generated streams have the size and digests they claim, lazily, and shrink by size. */
class StreamsTest {
  /** The seed of the tests whose outcome depends on what was drawn: fixed, so they are certain. */
  private static final long SEED = 20261207L;

  private static String jdk(String algorithm, byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  @Test
  void aStreamHasItsSizeAndTheJdksDigestsOfItsBytes() {
    qt().withExamples(50)
        .forAll(Streams.streams().acrossBoundariesOf(4096))
        .checkAssert(
            s -> {
              byte[] data = s.bytes();
              assertThat((long) data.length).isEqualTo(s.size());
              try {
                assertThat(s.md5()).isEqualTo(jdk("MD5", data));
                assertThat(s.sha512()).isEqualTo(jdk("SHA-512", data));
                assertThat(s.digest(HashAlgorithm.of("sha3_256"))).isEqualTo(jdk("SHA3-256", data));
                assertThat(s.open().readAllBytes()).isEqualTo(data);
                assertThat(s.sameBytesAs(s.open())).isTrue();
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  @Test
  void sizesStraddleChunkBoundariesAndStayInRange() {
    Set<Long> sizes = new HashSet<>();
    qt().withFixedSeed(SEED)
        .withExamples(300)
        .forAll(Streams.streams().ofSizeBetween(0, 100).acrossBoundariesOf(4096))
        .checkAssert(s -> sizes.add(s.size()));
    assertThat(sizes)
        .as("sizes of 300 streams from seed %d", SEED)
        .contains(0L, 4095L, 4096L, 4097L, 8193L, 12289L);
    assertThat(sizes).allMatch(n -> n >= 0 && n <= 3 * 4096 + 1);
    qt().forAll(Streams.streams().ofSize(7)).checkAssert(s -> assertThat(s.size()).isEqualTo(7));
  }

  @Test
  void aHugeStreamIsGeneratedLazily() throws IOException {
    ByteStream huge = Streams.of(8L << 30, 1);
    try (InputStream in = huge.open()) {
      assertThat(in.readNBytes(10)).hasSize(10);
    }
    assertThat(huge.slice((8L << 30) - 3, 3)).hasSize(3);
    assertThatThrownBy(huge::bytes).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFailingStreamYieldsItsFirstBytesThenThrows() throws IOException {
    ByteStream s = Streams.of(100, 3);
    InputStream in = s.failingAfter(40);
    assertThat(in.readNBytes(40)).isEqualTo(s.slice(0, 40));
    assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("40 bytes");
  }

  @Test
  void theSameSizeAndSeedGiveTheSameBytesAndOtherSeedsOthers() {
    assertThat(Streams.of(1000, 5).bytes()).isEqualTo(Streams.of(1000, 5).bytes());
    for (int offset : new int[] {0, 3, 8, 13, 997}) {
      assertThat(Streams.of(1000, 5).slice(offset, 3))
          .as("the 3 bytes skipped to at %d", offset)
          .isEqualTo(java.util.Arrays.copyOfRange(Streams.of(1000, 5).bytes(), offset, offset + 3));
    }
    assertThat(Streams.of(1000, 5).md5()).isNotEqualTo(Streams.of(1000, 6).md5());
    assertThat(Streams.of(1000, 5))
        .isEqualTo(Streams.of(1000, 5))
        .hasToString("1000 bytes (seed 5)");
  }

  @Test
  void unevenReadsYieldTheSameBytesInShortReads() throws IOException {
    ByteStream s = Streams.of(100_000, 3);
    InputStream in = s.openInUnevenReads();
    byte[] buf = new byte[64 * 1024];
    int shortReads = 0;
    for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
      assertThat(n).isBetween(1, 8192);
      shortReads += n < 8192 ? 1 : 0;
    }
    assertThat(shortReads).isGreaterThan(1);
    assertThat(s.sameBytesAs(s.openInUnevenReads())).isTrue();
  }

  @Test
  void aPatternStreamHasItsSizeAndDigestsAndSkipsWithoutReading() throws Exception {
    ByteStream p = ByteStream.pattern(200_000);
    byte[] data = p.bytes();
    assertThat(data).hasSize(200_000);
    assertThat(p.md5()).isEqualTo(jdk("MD5", data));
    assertThat(p.slice(150_000, 10)).isEqualTo(java.util.Arrays.copyOfRange(data, 150_000, 150_010));
    assertThat(ByteStream.pattern(1L << 40).slice((1L << 40) - 3, 3)).hasSize(3);
    assertThat(p).hasToString("200000 bytes (pattern)").isNotEqualTo(Streams.of(200_000, 0));
    assertThat(ByteStream.sameBytes(p.open(), Streams.of(200_000, 0).open())).isFalse();
  }

  @Test
  void aFailingPropertyShrinksToTheSmallestFailingSize() {
    assertThatThrownBy(
            () ->
                qt().withFixedSeed(SEED)
                    .forAll(Streams.streams().ofSizeBetween(0, 100_000))
                    .checkAssert(s -> assertThat(s.size()).isLessThan(1000)))
        .as("the report of a property failing from seed %d", SEED)
        .hasMessageContaining("1000 bytes (seed 0)");
  }
}
