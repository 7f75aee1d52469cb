package dev.imagegov.data.signature;

/**
 * Test vectors made with Python's {@code cryptography} 48 the way {@code cursive} signs and
 * verifies: a self-signed RSA-2048 certificate with an RSA-PSS (MGF1-SHA-256, maximum salt)
 * signature, and a P-384 certificate with an ECDSA-SHA-384 signature, of the same text.
 */
final class CursiveVectors {
  private CursiveVectors() {}

  static final String RSA_CERT =
      "MIICrTCCAZWgAwIBAgIBATANBgkqhkiG9w0BAQsFADAZMRcwFQYDVQQDDA5jdXJzaXZlIHZlY3RvcjAg"
      + "Fw0yMDAxMDEwMDAwMDBaGA8yMTIwMDEwMTAwMDAwMFowGTEXMBUGA1UEAwwOY3Vyc2l2ZSB2ZWN0b3Iw"
      + "ggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC8prTrsDkAPhL9G/bk00Z2sGwClQwVS53q9EFY"
      + "7Ed7nw0XavsgSTWFARUw+T9ZgzmeWNWAS6zv5FOyh0hIDup/RV2NJYxagd5bRjR4nNEFPBWDJSfz5Oru"
      + "TuAvaMmWD3U15gsOfbZBO5/GqZWW0/vyNbx78IQRi7uB8t+JLpK3+6eJVZjR5PLTJ10lFpx/u8NqdJ7l"
      + "/g769U7s5J0fElS0v7ewcKlT25JgHKgSyCVVfwpbFmzH9iKVWmGkKCXtPUIdloGcvnlvi65udQ89H5wL"
      + "U1ek8gsfeaA1BV38PgST/+AsHA5r85uamHbpf80SjUYBEr1rYxezgByOAUemCnUDAgMBAAEwDQYJKoZI"
      + "hvcNAQELBQADggEBAGM3mWIXXjcuiGgYXupNuVVQBrGeerE1ZFpdK5NXwVH2alnz5ks3DQ1pLtB0IryU"
      + "6vcr2lxbS2oKHrOvvzdEtnPPV7HZlgxWngCOIrLfSXcfpT31Tek4Md4ejrv2esJRvOhnL6w2Tvu2hHF2"
      + "p7PreDb0Geu22l3JI40ZeIDhcjMzfHZym4Sbcktu6n9u87P21vrIbOKTkXjf/A9oaY7wdO/DsKm4H7J+"
      + "eA8uEg6zo+YXoC86X2eQT79GmyVR7lQFiCC8okPBHFv7Z0rLh1uBa/vCB+7HJE5mBzCOr5GED8jXh3O5"
      + "4S9fEBIQvZ6m/L3qLPy3wJydU0uUA+90RRLQNYM=";

  static final String RSA_PSS_SHA256_SIG =
      "nz7UsOUDq0msQayyoZun0Nd/MfGAtVut0c4phg41nuFX3BvmAXsaVXI5hYSE21BjkxwjQl//NxLsW5ee"
      + "6bNheOOf+lrz+6r0cq0TVD4RJ23g3k9rUYPC1Qti6pbqv3ca0JZVVfjeireoq/+Q1QyrYnE7Pvb26PEw"
      + "v+yYrrlAo6AqzSxBxgBgw/Gb3s6GNZeieZkMhGd+q+uj33YyEz6WEPNylRZJthZwyCQO9eKyDXO4oUwL"
      + "TCgKf3Av6jthgHPrZTKNSxOiRUcMaS6n/g/mUwTjolHmzBBFbO/nbyxpdmOxHeSpO4VBCRHY+6oh+9Up"
      + "skRj9N6cdNhYfnIMflKFGQ==";

  static final String EC_CERT =
      "MIIBXTCB5KADAgECAgEBMAoGCCqGSM49BAMCMBkxFzAVBgNVBAMMDmN1cnNpdmUgdmVjdG9yMCAXDTIw"
      + "MDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjAZMRcwFQYDVQQDDA5jdXJzaXZlIHZlY3RvcjB2MBAG"
      + "ByqGSM49AgEGBSuBBAAiA2IABPZk5MzXa1j7rcRnXb7g/T5JHfMLx7s6LyTCdE69blKsfER2Eid/WKI4"
      + "1cQ2IEgOy/+DpPyFfcaan0dg+Qwhr+1Z83leHVo5BRXQmzokqDwW6SR27ByRHrIgjZcKAbR8pTAKBggq"
      + "hkjOPQQDAgNoADBlAjBC3qhl61Ql9vQ0i5p/PTVV9JR8YpbW1jpexkXHZyFUgb4EQWiJj80Z3vTI06sL"
      + "LGsCMQCKAM+RdeHU0IfKbvy1xkXqKTonX/IB7tqZGNr3HMk9CUtiGI7ZbIrWBr5P4YOvxv0=";

  static final String ECDSA_SHA384_SIG =
      "MGUCMQCkpA8GkC2QHpO/SKdlO4grPslNTnWHgzwGLV7+D/nKkwU5aTzTa472yNrKizv8HWQCMEpmeyyM"
      + "9FPOO1B/+VfLXZAAtxu7CkAF15R9EnEbdLowu3R20TMQOEza2CPrITefWQ==";
}
