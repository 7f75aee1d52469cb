package dev.imagegov.spi.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ConfigurationException;
import org.junit.jupiter.api.Test;

class HashAlgorithmTest {
  @Test
  void glanceNamesMapToJdkDigests() {
    assertThat(HashAlgorithm.of("sha512").jdkName()).isEqualTo("SHA-512");
    assertThat(HashAlgorithm.of("sha256").jdkName()).isEqualTo("SHA-256");
    assertThat(HashAlgorithm.of("sha3_512").jdkName()).isEqualTo("SHA3-512");
    assertThat(HashAlgorithm.of("SHA1").glanceName()).isEqualTo("sha1");
    assertThat(HashAlgorithm.of("sha512_256").hexLength()).isEqualTo(64);
    assertThat(HashAlgorithm.of("sha512")).isEqualTo(HashAlgorithm.SHA512);
  }

  @Test
  void variableLengthAndUnknownAlgorithmsAreConfigurationErrors() {
    for (String name : new String[] {"shake_128", "blake2b", "whirlpool", ""}) {
      assertThatThrownBy(() -> HashAlgorithm.of(name))
          .isInstanceOf(ConfigurationException.class);
    }
  }
}
