package dev.imagegov.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.testkit.gen.ByteStream;
import dev.imagegov.testkit.gen.Streams;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the memory store. Every guarantee of the {@link
 * dev.imagegov.spi.blob.BlobStore} port is checked by the testkit's contract suite ({@link
 * MemoryBlobStoreContractTest}, {@link MemoryBlobStoreParallelHashingContractTest}).
 */
class MemoryBlobStoreTest {
  private static final BlobKey KEY = BlobKey.of("blob-1");
  private static final int MIB = 1 << 20;

  @Test
  void inlineAndParallelHashingAgree() throws IOException {
    MemoryBlobStore inline = MemoryBlobStore.builder(StoreId.of("i")).inlineHashing().build();
    MemoryBlobStore parallel = MemoryBlobStore.create("p");
    HashSpec sha3 = HashSpec.of(HashAlgorithm.of("sha3_256"));
    ByteStream s = Streams.of(3 * MIB + 7, 8);
    BlobWriteResult a = inline.write(KEY, s.open(), Long.MAX_VALUE, sha3);
    BlobWriteResult b = parallel.write(KEY, s.open(), Long.MAX_VALUE, sha3);
    assertThat(a.checksum()).isEqualTo(b.checksum()).isEqualTo(s.md5());
    assertThat(a.multihash()).isEqualTo(b.multihash()).isEqualTo(s.digest(sha3.multihash()));
  }

  @Test
  void urlsAreMemorySchemeStoreIdAndKey() throws IOException {
    MemoryBlobStore store = MemoryBlobStore.create("fast");
    assertThat(store.url(KEY)).isEqualTo("memory://fast/blob-1");
    assertThat(store.write(KEY, Streams.of(1, 1).open(), 1, HashSpec.defaults()).url())
        .isEqualTo("memory://fast/blob-1");
    assertThat(store.id()).isEqualTo(StoreId.of("fast"));
  }

  @Test
  void theDefaultStoreIsUnbounded() {
    assertThat(MemoryBlobStore.create("x").capacity().total()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void theBuilderRefusesANegativeCapacityAndANonPositiveChunkSize() {
    MemoryBlobStore.Builder builder = MemoryBlobStore.builder(StoreId.of("x"));
    assertThatThrownBy(() -> builder.capacity(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.chunkSize(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
