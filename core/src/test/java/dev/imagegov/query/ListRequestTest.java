package dev.imagegov.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.LinkedListMultimap;
import com.google.common.collect.ListMultimap;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import org.junit.jupiter.api.Test;

class ListRequestTest {

  @Test
  void parseKeepsRepeatedKeysInOrder() {
    ListRequest r = ListRequest.parse("tag=x&limit=3&tag=y");
    assertThat(r.params().get("tag")).containsExactly("x", "y");
    assertThat(r.params().get("limit")).containsExactly("3");
    assertThat(r.params().keySet()).containsExactly("tag", "limit");
  }

  @Test
  void parseDecodesPercentEscapesAndPlus() {
    ListRequest r = ListRequest.parse("name=a+b%2Bc%3Ad&os_distro=%C3%A9t%C3%A9&k%20ey=%F0%9F%98%80");
    assertThat(r.params().get("name")).containsExactly("a b+c:d");
    assertThat(r.params().get("os_distro")).containsExactly("été");
    assertThat(r.params().get("k ey")).containsExactly("\uD83D\uDE00");
  }

  @Test
  void parseSkipsEmptyPairsAndKeepsBlankValues() {
    ListRequest r = ListRequest.parse("?a=1&&b&c=&d=x=y&");
    assertThat(r.params())
        .isEqualTo(ImmutableListMultimap.of("a", "1", "b", "", "c", "", "d", "x=y"));
  }

  @Test
  void parseOfEmptyStringIsEmpty() {
    assertThat(ListRequest.parse("")).isEqualTo(ListRequest.empty());
    assertThat(ListRequest.empty().toQueryString()).isEmpty();
  }

  @Test
  void malformedEscapeIsRejected() {
    for (String q : new String[] {"name=%", "name=%4", "name=%zz", "a%g1=b"}) {
      assertThatThrownBy(() -> ListRequest.parse(q))
          .as(q)
          .isInstanceOf(GovernanceException.class)
          .satisfies(
              e ->
                  assertThat(((GovernanceException) e).code())
                      .isEqualTo(RuleCode.MALFORMED_REQUEST));
    }
  }

  @Test
  void invalidUtf8IsRejected() {
    assertThatThrownBy(() -> ListRequest.parse("name=%C3%28"))
        .isInstanceOf(GovernanceException.class)
        .satisfies(
            e ->
                assertThat(((GovernanceException) e).code())
                    .isEqualTo(RuleCode.MALFORMED_REQUEST));
  }

  @Test
  void unpairedSurrogateIsRejected() {
    assertThatThrownBy(() -> ListRequest.empty().with("name", "a\uD800b"))
        .isInstanceOf(GovernanceException.class);
  }

  @Test
  void toQueryStringEncodesLikeUrlencode() {
    ListRequest r =
        ListRequest.empty().with("name", "in:\"a,b\" c/é").with("sort", "name:asc").plus("tag", "x~y");
    assertThat(r.toQueryString())
        .isEqualTo("name=in%3A%22a%2Cb%22+c%2F%C3%A9&sort=name%3Aasc&tag=x~y");
  }

  @Test
  void parseAndEncodeRoundTrip() {
    ListRequest r =
        ListRequest.empty()
            .plus("tag", "a b")
            .plus("name", "eq:foo:bar")
            .plus("tag", "+&=%")
            .plus("", "")
            .plus("x", "\uD83D\uDE00");
    assertThat(ListRequest.parse(r.toQueryString())).isEqualTo(r);
  }

  @Test
  void plusAppendsARepeatableParameterAndWithoutRemovesEveryValue() {
    ListRequest r = ListRequest.parse("marker=m1&tag=a").plus("tag", "b");
    assertThat(r.params().get("tag")).containsExactly("a", "b");
    ListRequest first = r.without("marker");
    assertThat(first.params().containsKey("marker")).isFalse();
    assertThat(first.params().get("tag")).containsExactly("a", "b");
  }

  @Test
  void withReplacesEveryEarlierValueAndPutsTheParameterLast() {
    ListRequest r = ListRequest.parse("marker=m1&limit=3&sort_key=id&sort_key=name").with("marker", "m2");
    assertThat(r.toQueryString()).isEqualTo("limit=3&sort_key=id&sort_key=name&marker=m2");
    assertThat(r.with("sort_key", "size").params().get("sort_key")).containsExactly("size");
  }

  @Test
  void aSingleValuedParameterIsReplacedEvenByPlus() {
    for (String key : ListRequest.SINGLE_VALUED) {
      ListRequest r = ListRequest.empty().plus(key, "1").plus(key, "2");
      assertThat(r.params().get(key)).as(key).containsExactly("2");
    }
  }

  @Test
  void repeatableParametersKeepEveryValueWithPlus() {
    ListRequest r = ListRequest.empty().plus("sort_key", "name").plus("sort_key", "id");
    assertThat(r.params().get("sort_key")).containsExactly("name", "id");
  }

  @Test
  void ofCopiesTheMultimap() {
    ListMultimap<String, String> m = LinkedListMultimap.create();
    m.put("tag", "a");
    ListRequest r = ListRequest.of(m);
    m.put("tag", "b");
    assertThat(r.params().get("tag")).containsExactly("a");
  }
}
