package io.fleetpulse.collector.ci.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class GithubLinkHeaderTest {

  @Test
  void theNextLinkIsFoundAmongGithubsRelations() {
    String header = "<https://api.github.com/repositories/1296269/actions/runs?per_page=100&page=1>; rel=\"prev\", "
        + "<https://api.github.com/repositories/1296269/actions/runs?per_page=100&page=3>; rel=\"next\", "
        + "<https://api.github.com/repositories/1296269/actions/runs?per_page=100&page=9>; rel=\"last\"";

    assertThat(LinkHeader.next(header))
        .isEqualTo(URI.create("https://api.github.com/repositories/1296269/actions/runs?per_page=100&page=3"));
  }

  @Test
  void aRelationListAndUnquotedValuesAreUnderstood() {
    assertThat(LinkHeader.next("<https://h/x?page=2>; title=\"a, b\"; rel=\"last next\""))
        .isEqualTo(URI.create("https://h/x?page=2"));
    assertThat(LinkHeader.next("<https://h/x?page=2>;rel=next")).isEqualTo(URI.create("https://h/x?page=2"));
  }

  @Test
  void theLastPageHasNoNext() {
    assertThat(LinkHeader.next("<https://h/x?page=1>; rel=\"first\", <https://h/x?page=1>; rel=\"prev\"")).isNull();
    assertThat(LinkHeader.next(null)).isNull();
    assertThat(LinkHeader.next("garbage")).isNull();
  }
}
