package dev.imagegov.data;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.quota.internal.QuotaRules;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.usage.UsageKind;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * The caller's data on its way into a store: counts the bytes, grows the owner's storage (or
 * staging) reservation ahead of them (so concurrent uploads never overshoot a limit), keeps the
 * store's reserve free, and remembers whether a failure came from the caller's stream.
 */
final class MeteredInput extends InputStream {
  /** Reservations grow by this much beyond what is needed, to take the ledger's lock rarely. */
  static final long GRANT_STEP = 256 * 1024;

  /** A limit stopped the stream; the write fails and leaves nothing. */
  static final class Stop extends IOException {
    private static final long serialVersionUID = 1L;
    final GovernanceException refusal;

    Stop(GovernanceException refusal) {
      super(refusal.getMessage());
      this.refusal = refusal;
    }
  }

  private final InputStream source;
  private final UsageKind resource;
  private final QuotaRules.Charge charge;
  private final BlobStore store;
  private final long storeReserve;
  private long read;
  private long granted;
  private @Nullable IOException sourceFailure;

  MeteredInput(
      InputStream source,
      QuotaRules.Charge charge,
      BlobStore store,
      long storeReserve,
      long granted) {
    this(source, charge, UsageKind.STORED_BYTES, store, storeReserve, granted);
  }

  /** Metering {@code resource} (stored bytes for final stores, staged bytes for staging). */
  MeteredInput(
      InputStream source,
      QuotaRules.Charge charge,
      UsageKind resource,
      BlobStore store,
      long storeReserve,
      long granted) {
    this.resource = resource;
    this.source = source;
    this.charge = charge;
    this.store = store;
    this.storeReserve = storeReserve;
    this.granted = granted;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = source.read(b, off, len);
    } catch (IOException e) {
      sourceFailure = e;
      throw e;
    }
    if (n > 0) {
      read += n;
      if (read > granted) {
        cover(read - granted);
      }
    }
    return n;
  }

  private void cover(long need) throws Stop {
    if (storeReserve > 0 && store.capacity().free() - need < storeReserve) {
      throw new Stop(
          GovernanceException.of(
              RuleCode.STORE_FULL,
              "Image storage media is full: store " + store.id() + " keeps " + storeReserve
                  + " bytes in reserve."));
    }
    if (charge.tryReserve(resource, need + GRANT_STEP)) {
      granted += need + GRANT_STEP;
    } else if (charge.tryReserve(resource, need)) {
      granted += need;
    } else {
      throw new Stop(charge.refusal(resource, need));
    }
  }

  /** Bytes read so far. */
  long bytesRead() {
    return read;
  }

  /** The failure of the caller's stream, if it failed. */
  @Nullable IOException sourceFailure() {
    return sourceFailure;
  }
}
