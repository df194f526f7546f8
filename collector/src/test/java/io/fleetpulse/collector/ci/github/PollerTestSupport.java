package io.fleetpulse.collector.ci.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.fleetpulse.collector.ci.GithubConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake GitHub (WireMock on 127.0.0.1, a dynamic port), a token file, a fake clock at {@link
 * #NOW} and an {@link InMemoryCiStore}, for the poller's tests. Stubs are reset between tests.
 */
abstract class PollerTestSupport {
  static final String TOKEN = "ghp_Fp7tEsTt0kEn4Ab9cD3eF2gH1iJ0kL5mN";
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  static final String REPO = "acme/platform";
  /** The {@code created} query value of a first poll: NOW - 30 days, rounded down to the hour. */
  static final String FIRST_BOUND = ">=2026-11-06T12:00:00Z";
  static final String RUNS = "/repos/acme/platform/actions/runs";

  @RegisterExtension
  static WireMockExtension github =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(NOW);
  final InMemoryCiStore store = new InMemoryCiStore();
  Path tokenFile;
  private GithubPoller poller;

  @BeforeEach
  void writeToken() throws IOException {
    tokenFile = dir.resolve("github-token");
    Files.writeString(tokenFile, TOKEN + "\n");
  }

  @AfterEach
  void closePoller() {
    if (poller != null) {
      poller.close();
    }
  }

  static String apiUrl() {
    return "http://127.0.0.1:" + github.getPort();
  }

  GithubConfig config(List<String> repositories, String organization, Integer maxRepositories) {
    return new GithubConfig(apiUrl(), tokenFile.toString(), null, repositories, organization, maxRepositories,
        Duration.ofSeconds(60), Duration.ofSeconds(2), null, null, null);
  }

  GithubPoller poller(GithubConfig config) {
    poller = new GithubPoller(config, store, clock, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    return poller;
  }

  GithubPoller poller(String... repositories) {
    return poller(config(List.of(repositories), null, null));
  }

  static String fixture(String name) {
    try (InputStream in = PollerTestSupport.class.getResourceAsStream("/github/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture github/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** 200 with a JSON body and GitHub's rate-limit headers (4999 of 5000 left for an hour). */
  static ResponseDefinitionBuilder json(String body) {
    return json(body, 4999, NOW.plusSeconds(3600).getEpochSecond());
  }

  /** 200 with a JSON body and rate-limit headers: {@code remaining} of 5000 left until {@code resetSeconds}. */
  static ResponseDefinitionBuilder json(String body, long remaining, long resetSeconds) {
    return aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("X-RateLimit-Limit", "5000")
        .withHeader("X-RateLimit-Remaining", String.valueOf(remaining))
        .withHeader("X-RateLimit-Used", String.valueOf(5000 - remaining))
        .withHeader("X-RateLimit-Reset", String.valueOf(resetSeconds))
        .withHeader("X-RateLimit-Resource", "core")
        .withBody(body);
  }

  static MappingBuilder getPath(String path) {
    return get(urlPathEqualTo(path));
  }

  /** {@code GET /repos/{repo}} with default branch {@code main}, and no deployments. */
  static void stubRepository(String repo) {
    github.stubFor(getPath("/repos/" + repo).willReturn(json(
        fixture("repository.json").replace("acme/platform", repo))));
    github.stubFor(getPath("/repos/" + repo + "/deployments").willReturn(json("[]").withHeader("ETag", "W/\"d0\"")));
  }
}
