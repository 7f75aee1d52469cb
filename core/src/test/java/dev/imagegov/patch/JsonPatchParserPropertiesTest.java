package dev.imagegov.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.imagegov.error.GovernanceException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Whatever the body, parsing ends in a patch or a GovernanceException, never anything else. */
class JsonPatchParserPropertiesTest {
  private final JsonPatchParser parser =
      new JsonPatchParser(JsonPatchParserTest.SCHEMA, new PatchLimits(4096, 8, 16));

  private static final List<String> FRAGMENTS =
      List.of(
          "[", "]", "{", "}", ",", ":", "\"op\"", "\"path\"", "\"value\"", "\"add\"",
          "\"remove\"", "\"replace\"", "\"/name\"", "\"/tags\"", "\"/locations/-\"", "\"/a~\"",
          "\"/status\"", "null", "true", "1e999", "-0", "12345678901234567890", "\"\\u0000\"",
          "\"\\uD83D\"", "[[[[[[[[[[", "]]]]]]]]]]", "\"/os_glance\"", "\"/x/y\"", " ");

  private static Gen<String> bodies() {
    Gen<String> structured =
        lists().of(Generate.pick(FRAGMENTS)).ofSizeBetween(0, 30).map(p -> String.join("", p));
    Gen<String> random = strings().allPossible().ofLengthBetween(0, 40);
    Gen<String> nested = integers().between(1, 20_000).map(n -> "[".repeat(n) + "]".repeat(n));
    return Generate.oneOf(structured, random, nested);
  }

  private static Gen<String> mediaTypes() {
    return Generate.pick(
        List.of(JsonPatchParser.V2_0, JsonPatchParser.V2_1, "application/json", ""));
  }

  @Test
  void anyBodyParsesOrIsAGovernanceException() {
    qt().withExamples(2000)
        .forAll(mediaTypes(), bodies())
        .checkAssert(
            (type, body) -> {
              try {
                ImagePatch patch = parser.parse(type, body);
                assertThat(patch.operations().size()).isLessThanOrEqualTo(16);
              } catch (GovernanceException expected) {
                assertThat(expected.getMessage()).isNotBlank();
              }
            });
  }

  @Test
  void wrongTypesForEveryMemberAreGovernanceExceptions() {
    Gen<String> values =
        Generate.pick(List.of("1", "true", "null", "[]", "{}", "\"s\"", "[\"a\",1]", "1.5"));
    qt().forAll(values, values, values)
        .checkAssert(
            (op, path, value) -> {
              String body = "[{\"op\":" + op + ",\"path\":" + path + ",\"value\":" + value + "}]";
              try {
                parser.parse(JsonPatchParser.V2_1, body);
              } catch (GovernanceException expected) {
                assertThat(expected.getMessage()).contains("operation #0");
              }
            });
  }
}
