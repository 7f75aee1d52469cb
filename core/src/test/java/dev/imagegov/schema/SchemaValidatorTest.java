package dev.imagegov.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The JSON-schema subset of Glance's schemas: each keyword, its message, and the depth bound. */
class SchemaValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SchemaValidator schema(String json) throws Exception {
    return SchemaValidator.compile((ObjectNode) JSON.readTree(json));
  }

  private static String error(String schema, String instance) throws Exception {
    return schema(schema).firstError(JSON.readTree(instance));
  }

  @Test
  void typeNamesTheExpectedTypesAndIntegerExcludesFractions() throws Exception {
    assertThat(error("{\"type\": \"integer\"}", "\"1\"")).isEqualTo("'1' is not of type 'integer'");
    assertThat(error("{\"type\": \"integer\"}", "1.5")).isEqualTo("1.5 is not of type 'integer'");
    assertThat(error("{\"type\": \"integer\"}", "7")).isNull();
    assertThat(error("{\"type\": [\"null\", \"string\"]}", "5"))
        .isEqualTo("5 is not of type 'null', 'string'");
    assertThat(error("{\"type\": [\"null\", \"string\"]}", "null")).isNull();
    assertThat(error("{\"type\": \"boolean\"}", "\"true\"")).isEqualTo("'true' is not of type 'boolean'");
  }

  @Test
  void enumShowsTheAllowedValuesAsPythonDoes() throws Exception {
    assertThat(error("{\"enum\": [null, \"raw\", 1, true]}", "\"vmdk\""))
        .isEqualTo("'vmdk' is not one of [None, 'raw', 1, True]");
    assertThat(error("{\"enum\": [null, \"raw\"]}", "null")).isNull();
    assertThat(error("{\"enum\": [1]}", "1.0")).isNull();
  }

  @Test
  void lengthsCountCodePointsAndPatternIsSearchedNotAnchored() throws Exception {
    assertThat(error("{\"maxLength\": 3}", "\"abcd\"")).isEqualTo("'abcd' is too long");
    assertThat(error("{\"maxLength\": 3}", "\"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\"")).isNull();
    assertThat(error("{\"minLength\": 2}", "\"a\"")).isEqualTo("'a' is too short");
    assertThat(error("{\"pattern\": \"b+\"}", "\"abba\"")).isNull();
    assertThat(error("{\"pattern\": \"^b+$\"}", "\"abba\""))
        .isEqualTo("'abba' does not match '^b+$'");
    assertThat(error("{\"maxLength\": 1}", "5")).as("length applies to strings only").isNull();
  }

  @Test
  void boundsAndMultiplesIncludingDraft4ExclusiveFlags() throws Exception {
    assertThat(error("{\"minimum\": 0}", "-1")).isEqualTo("-1 is less than the minimum of 0");
    assertThat(error("{\"minimum\": 0}", "0")).isNull();
    assertThat(error("{\"minimum\": 0, \"exclusiveMinimum\": true}", "0"))
        .isEqualTo("0 is less than or equal to the minimum of 0");
    assertThat(error("{\"maximum\": 10}", "11")).isEqualTo("11 is greater than the maximum of 10");
    assertThat(error("{\"maximum\": 10, \"exclusiveMaximum\": true}", "10"))
        .isEqualTo("10 is greater than or equal to the maximum of 10");
    assertThat(error("{\"multipleOf\": 0.5}", "1.5")).isNull();
    assertThat(error("{\"multipleOf\": 2}", "3")).isEqualTo("3 is not a multiple of 2");
  }

  @Test
  void arraysCheckItemsTuplesCountsAndUniqueness() throws Exception {
    String tags = "{\"type\": \"array\", \"items\": {\"type\": \"string\", \"maxLength\": 2}}";
    assertThat(error(tags, "[\"ab\", \"abc\"]")).isEqualTo("'abc' is too long");
    assertThat(error(tags, "[\"ab\"]")).isNull();
    String tuple = "{\"items\": [{\"type\": \"string\"}], \"additionalItems\": false}";
    assertThat(error(tuple, "[\"a\", 2]")).isEqualTo("Additional items are not allowed (2 was unexpected)");
    assertThat(error("{\"minItems\": 1}", "[]")).isEqualTo("[] is too short");
    assertThat(error("{\"maxItems\": 1}", "[1, 2]")).isEqualTo("[1, 2] is too long");
    assertThat(error("{\"uniqueItems\": true}", "[1, 1]")).isEqualTo("[1, 1] has non-unique elements");
  }

  @Test
  void objectsCheckPropertiesRequiredAndAdditionalProperties() throws Exception {
    String s =
        "{\"properties\": {\"url\": {\"type\": \"string\"}}, \"required\": [\"url\"],"
            + " \"patternProperties\": {\"^x_\": {\"type\": \"integer\"}},"
            + " \"additionalProperties\": false}";
    assertThat(error(s, "{}")).isEqualTo("'url' is a required property");
    assertThat(error(s, "{\"url\": \"u\", \"x_a\": 1}")).isNull();
    assertThat(error(s, "{\"url\": \"u\", \"x_a\": \"1\"}")).isEqualTo("'1' is not of type 'integer'");
    assertThat(error(s, "{\"url\": \"u\", \"other\": 1}"))
        .isEqualTo("Additional properties are not allowed ('other' was unexpected)");
    String[] where =
        schema("{\"additionalProperties\": {\"type\": \"string\"}}")
            .firstPropertyError((ObjectNode) JSON.readTree("{\"a\": \"x\", \"b\": 5}"));
    assertThat(where).containsExactly("b", "5 is not of type 'string'");
  }

  @Test
  void combinatorsAndNot() throws Exception {
    String any = "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}";
    assertThat(error(any, "1")).isNull();
    assertThat(error(any, "true")).isEqualTo("True is not valid under any of the given schemas");
    String one = "{\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 0}]}";
    assertThat(error(one, "-1")).isNull();
    assertThat(error(one, "1")).isEqualTo("1 is valid under each of 2 of the given schemas");
    assertThat(error("{\"allOf\": [{\"maxLength\": 1}]}", "\"ab\"")).isEqualTo("'ab' is too long");
    assertThat(error("{\"not\": {\"type\": \"string\"}}", "\"a\""))
        .isEqualTo("'a' should not be valid under the 'not' schema");
  }

  @Test
  void annotationsAndFormatAreNotChecked() throws Exception {
    assertThat(
            error(
                "{\"description\": \"d\", \"readOnly\": true, \"is_base\": false,"
                    + " \"format\": \"uuid\", \"default\": 1}",
                "\"not-a-uuid\""))
        .isNull();
  }

  @Test
  void malformedOrUnsupportedSchemasAreRefusedWhenCompiled() {
    for (String bad :
        new String[] {
          "{\"type\": \"text\"}",
          "{\"type\": []}",
          "{\"enum\": 1}",
          "{\"maxLength\": -1}",
          "{\"maxLength\": \"3\"}",
          "{\"pattern\": \"(\"}",
          "{\"items\": 1}",
          "{\"properties\": {\"a\": 1}}",
          "{\"required\": \"a\"}",
          "{\"anyOf\": []}",
          "{\"exclusiveMinimum\": 1}",
          "{\"multipleOf\": 0}",
          "{\"$ref\": \"#/definitions/x\"}"
        }) {
      assertThatThrownBy(() -> schema(bad)).as(bad).isInstanceOf(SchemaValidator.InvalidSchema.class);
    }
  }

  @Test
  void schemasDeeperThanTheBoundAreRefusedWithoutRecursingFurther() throws Exception {
    JsonNode deep = JSON.readTree("{\"type\": \"string\"}");
    for (int i = 0; i < PropertyDefinitions.MAX_DEPTH - 1; i++) {
      deep = JSON.createObjectNode().set("not", deep);
    }
    SchemaValidator atTheBound = SchemaValidator.compile((ObjectNode) deep);
    assertThat(atTheBound.firstError(JSON.readTree("1"))).as("63 nots around string").isNull();
    ObjectNode tooDeep = JSON.createObjectNode().set("not", deep);
    assertThatThrownBy(() -> SchemaValidator.compile(tooDeep))
        .isInstanceOf(SchemaValidator.InvalidSchema.class)
        .hasMessageContaining("deeper than 64 levels");
  }

  @Test
  void longValuesInMessagesAreShownToOneLevel() throws Exception {
    assertThat(error("{\"type\": \"string\"}", "[[1, [2]], {\"a\": {\"b\": 1}}]"))
        .isEqualTo("[[1, [...]], {'a': {...}}] is not of type 'string'");
  }
}
