package dev.imagegov.testkit.contract;

import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobNotFoundException;
import dev.imagegov.spi.blob.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Deliberately faulty blob stores, each the {@link SimpleBlobStore} with one seeded defect, and one
 * contract suite per defect. {@link BlobStoreContractCatchesSeededDefectsTest} proves the suite
 * fails on every one. The suites are nested classes of a class not named like a test, so surefire
 * never runs them on their own.
 */
final class FaultyBlobStores {
  private FaultyBlobStores() {}

  /**
   * A seeded defect: what is wrong, the contract group that must catch it, and the suite running
   * the contract on a store with that defect.
   */
  record Defect(String description, String group, Class<? extends BlobStoreContract> suite) {
    @Override
    public String toString() {
      return description;
    }
  }

  static final List<Defect> ALL =
      List.of(
          new Defect(
              "a write becomes visible chunk by chunk, before it completes",
              "AtomicVisibility",
              VisibleBeforeComplete.class),
          new Defect("a range read yields one byte too many", "Ranges", RangeOffByOne.class),
          new Defect(
              "a failed write keeps its capacity reserved",
              "NothingLeftBehind",
              UsageDriftsOnFailedWrites.class),
          new Defect(
              "a failed write leaves its partial blob", "NothingLeftBehind", PartialBlobLeft.class),
          new Defect("only the first chunk is hashed", "Streaming", HashesTheFirstChunkOnly.class),
          new Defect(
              "delete of a missing key throws", "IdempotentDelete", DeleteThrowsOnMissingKey.class),
          new Defect("the byte limit lets one byte more through", "ByteLimit", LimitOffByOne.class),
          new Defect(
              "a write to a stored key replaces the blob", "WriteOnce", SecondWriteReplaces.class),
          new Defect(
              "an open read follows the key to a rewritten blob",
              "NoTornReads",
              ReadFollowsTheKey.class),
          new Defect("the capacity is never checked", "CapacityAccounting", CapacityIgnored.class),
          new Defect(
              "keys() lists writes in progress",
              "AtomicVisibility",
              KeysListWritesInProgress.class),
          new Defect(
              "delete keeps the blob's capacity in use",
              "IdempotentDelete",
              DeleteKeepsCapacity.class));

  /** The contract on a faulty variant of the simple store, with and without a capacity. */
  abstract static class Suite extends BlobStoreContract {
    abstract SimpleBlobStore store(long total);

    /** The same cases every run: whether the suite catches the defect is not left to chance. */
    @Override
    protected OptionalLong seed() {
      return OptionalLong.of(FaultyCatalogs.SEED);
    }

    @Override
    protected BlobStore newStore() {
      return store(Long.MAX_VALUE);
    }

    @Override
    protected Optional<BlobStore> newStoreWithCapacity(long totalBytes) {
      return Optional.of(store(totalBytes));
    }

    @Override
    protected int chunkSize() {
      return SimpleBlobStore.CHUNK;
    }
  }

  // ---- the defects ---------------------------------------------------------------------------

  /** Each chunk is published as it arrives. */
  static final class VisibleBeforeComplete extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        protected void accepted(BlobKey key, ByteArrayOutputStream soFar) {
          synchronized (this) {
            blobs.put(key, soFar.toByteArray());
          }
        }

        @Override
        protected synchronized void abandon(BlobKey key, byte[] partial, long reserved) {
          super.abandon(key, partial, reserved);
          blobs.remove(key);
        }
      };
    }
  }

  /** A range stream runs one byte past its length (unless the blob ends first). */
  static final class RangeOffByOne extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        protected InputStream slice(byte[] blob, int offset, int length) {
          return new ByteArrayInputStream(blob, offset, length + 1);
        }
      };
    }
  }

  /** A failed write never releases what it reserved. */
  static final class UsageDriftsOnFailedWrites extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        protected synchronized void abandon(BlobKey key, byte[] partial, long reserved) {}
      };
    }
  }

  /** A failed write publishes what it had read. */
  static final class PartialBlobLeft extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        protected synchronized void abandon(BlobKey key, byte[] partial, long reserved) {
          if (partial.length > 0) {
            blobs.put(key, partial);
          } else {
            super.abandon(key, partial, reserved);
          }
        }
      };
    }
  }

  /** MD5 and the multihash see only the first chunk. */
  static final class HashesTheFirstChunkOnly extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        protected void hash(BlobDigester digester, byte[] chunk, int n, int index) {
          if (index == 0) {
            super.hash(digester, chunk, n, index);
          }
        }
      };
    }
  }

  /** Delete of an absent key throws instead of returning false. */
  static final class DeleteThrowsOnMissingKey extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        public synchronized boolean delete(BlobKey key) throws IOException {
          if (!blobs.containsKey(key)) {
            throw new BlobNotFoundException("no blob " + key);
          }
          return super.delete(key);
        }
      };
    }
  }

  /** The limit check is off by one: maxBytes + 1 bytes are stored. */
  static final class LimitOffByOne extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        protected boolean tooLarge(long size, long maxBytes) {
          return size - 1 > maxBytes;
        }
      };
    }
  }

  /** A write to a stored key deletes the old blob instead of refusing. */
  static final class SecondWriteReplaces extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        protected synchronized void claim(BlobKey key) throws BlobExistsException {
          byte[] old = blobs.remove(key);
          if (old != null) {
            used -= old.length;
          }
          super.claim(key);
        }
      };
    }
  }

  /** A read stream looks the key up again on every read. */
  static final class ReadFollowsTheKey extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        public InputStream read(BlobKey key) throws IOException {
          find(key);
          SimpleBlobStore self = this;
          return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
              byte[] one = new byte[1];
              return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              byte[] now = self.find(key);
              if (position >= now.length) {
                return -1;
              }
              int n = Math.min(len, now.length - position);
              System.arraycopy(now, position, b, off, n);
              position += n;
              return n;
            }
          };
        }
      };
    }
  }

  /** Writes never fail for capacity. */
  static final class CapacityIgnored extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        protected boolean fits(long bytes, long free) {
          return true;
        }
      };
    }
  }

  /** keys() lists the keys being written too. */
  static final class KeysListWritesInProgress extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        public synchronized List<BlobKey> keys() {
          List<BlobKey> keys = new ArrayList<>(blobs.keySet());
          keys.addAll(writing);
          return keys;
        }
      };
    }
  }

  /** Delete removes the blob but not its bytes from the capacity in use. */
  static final class DeleteKeepsCapacity extends Suite {
    @Override
    SimpleBlobStore store(long total) {
      return new SimpleBlobStore(total) {
        @Override
        public synchronized boolean delete(BlobKey key) {
          return blobs.remove(key) != null;
        }
      };
    }
  }
}
