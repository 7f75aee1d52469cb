package dev.imagegov.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ConfigurationException;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The options refuse what S3 or the store cannot work with, naming it, and hide the secret. */
class S3BlobStoreOptionsTest {
  private static void refused(UnaryOperator<S3BlobStoreOptions.Builder> o, String what) {
    assertThatThrownBy(() -> o.apply(S3BlobStoreOptions.builder().bucket("images")).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(what);
  }

  @Test
  void thePartSizeIsAtLeastS3sMinimum() {
    refused(b -> b.partSize(S3BlobStoreOptions.MIN_PART_SIZE - 1), "part size");
    assertThat(S3BlobStoreOptions.builder().bucket("images")
            .partSize(S3BlobStoreOptions.MIN_PART_SIZE).build().partSize())
        .isEqualTo(S3BlobStoreOptions.MIN_PART_SIZE);
  }

  @Test
  void theChunkSizeLiesBetweenOneAndThePartSize() {
    refused(b -> b.chunkSize(0), "chunk size");
    refused(b -> b.chunkSize(S3BlobStoreOptions.DEFAULT_PART_SIZE + 1), "chunk size");
  }

  @Test
  void badBucketsPrefixesEndpointsCapacitiesAndCredentialsAreRefused() {
    refused(b -> b.bucket("Upper_Case"), "bucket name");
    refused(b -> b.bucket("ab"), "bucket name");
    refused(b -> b.prefix("/abs"), "prefix");
    refused(b -> b.endpoint(URI.create("ftp://host/")), "endpoint");
    refused(b -> b.capacity(-1), "capacity");
    refused(b -> b.partsInFlight(0), "parts in flight");
    refused(b -> b.accessKeyId("only-the-id"), "both");
  }

  @Test
  void theSecretNeverAppearsInToString() {
    S3BlobStoreOptions o =
        S3BlobStoreOptions.builder()
            .bucket("images")
            .accessKeyId("AKIDEXAMPLE")
            .secretAccessKey("wJalrXUtnFEMI-secret")
            .build();
    assertThat(o.toString()).contains("AKIDEXAMPLE").doesNotContain("wJalrXUtnFEMI-secret");
  }
}
