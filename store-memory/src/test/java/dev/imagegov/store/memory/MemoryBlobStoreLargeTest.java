package dev.imagegov.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.InputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A large image streams into the memory store from a generated stream (no array of its size
 * exists anywhere) and reads back by range. The default build uses 256 MiB (about a second); the
 * full 2 GiB case, which needs about ten seconds of hashing on a busy two-core machine, runs
 * with {@code -Dimagegov.largeBlobBytes=2147483648}.
 */
@Tag("large")
class MemoryBlobStoreLargeTest {
  private static final long SIZE = Long.getLong("imagegov.largeBlobBytes", 256L << 20);

  @Test
  void aLargeImageStreamsInAndOutInBoundedChunks() throws Exception {
    MemoryBlobStore store = MemoryBlobStore.create("large");
    BlobKey key = BlobKey.of("big");
    BlobWriteResult r =
        store.write(
            key, ByteStream.pattern(SIZE).open(), Long.MAX_VALUE, HashSpec.of(HashAlgorithm.of("sha256")));
    assertThat(r.size()).isEqualTo(SIZE);
    assertThat(store.capacity().used()).isEqualTo(SIZE);
    long tail = 1 << 20;
    try (InputStream in = store.read(key, SIZE - tail, tail);
        InputStream expected = ByteStream.pattern(SIZE).open()) {
      expected.skipNBytes(SIZE - tail);
      assertThat(ByteStream.sameBytes(in, expected)).isTrue();
    }
    assertThat(store.delete(key)).isTrue();
    assertThat(store.capacity().used()).isZero();
  }
}
