package dev.imagegov.spi.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ObservingInputStreamTest {
  private static final class Recording extends ObservingInputStream {
    final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    int ends;

    Recording(byte[] data) {
      super(new ByteArrayInputStream(data));
    }

    @Override
    protected void onBytes(byte[] b, int off, int len) {
      seen.write(b, off, len);
    }

    @Override
    protected void onEnd() {
      ends++;
    }
  }

  @Test
  void everyByteReadSingleInRunsOrSkippedIsObservedInOrderAndTheEndOnce() throws IOException {
    byte[] data = new byte[20_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7);
    }
    Recording in = new Recording(data);
    assertThat(in.read()).isEqualTo(0);
    assertThat(in.read(new byte[10], 0, 10)).isEqualTo(10);
    assertThat(in.skip(15_000)).isEqualTo(15_000);
    in.readAllBytes();
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
    assertThat(in.seen.toByteArray()).isEqualTo(data);
    assertThat(in.ends).isEqualTo(1);
  }

  @Test
  void aHookThatThrowsFailsTheRead() {
    ObservingInputStream in =
        new ObservingInputStream(new ByteArrayInputStream(new byte[3])) {
          @Override
          protected void onEnd() throws IOException {
            throw new IOException("checked at the end");
          }
        };
    assertThatThrownBy(in::readAllBytes).hasMessage("checked at the end");
  }

  @Test
  void markAndResetAreNotSupported() {
    Recording in = new Recording(new byte[3]);
    in.mark(10);
    assertThat(in.markSupported()).isFalse();
    assertThatThrownBy(in::reset).isInstanceOf(IOException.class);
  }
}
