package io.fleetpulse.collector.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fleetpulse-collector report --url http://host:9470}: prints the fleet report as text. */
@Command(name = "report", description = "Fetch the fleet report from a collector and print it.")
public final class ReportCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "Collector base URL, e.g. http://127.0.0.1:9470")
  String url;

  @Option(names = "--token-file", description = "File holding a bearer token for the read API")
  java.nio.file.Path tokenFile;

  @Option(names = "--json", description = "Print the raw JSON instead of text")
  boolean rawJson;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/api/v1/report"))
        .timeout(Duration.ofSeconds(15)).GET();
    if (tokenFile != null) {
      req.header("Authorization", "Bearer " + java.nio.file.Files.readString(tokenFile).trim());
    }
    HttpResponse<String> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      err.println("report: " + url + " answered " + resp.statusCode());
      return 1;
    }
    out.print(rawJson ? resp.body() + "\n" : ReportText.render(new ObjectMapper().readTree(resp.body())));
    out.flush();
    return 0;
  }
}
