package io.fleetpulse.collector.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TimelineTest {
  static Observation o(long t, double v) {
    return new Observation(t, v, 30);
  }

  static Segment s(long a, long b, double v) {
    return new Segment(a, b, v);
  }

  static Stream<Arguments> segments() {
    return Stream.of(
        Arguments.of("each holds until the next", List.of(o(0, 1), o(10, 0), o(20, 1)),
            List.of(s(0, 10, 1), s(10, 20, 0), s(20, 50, 1))),
        Arguments.of("but at most its hold", List.of(o(0, 1), o(100, 1)), List.of(s(0, 30, 1), s(100, 130, 1))),
        Arguments.of("equal neighbours merge", List.of(o(0, 1), o(10, 1), o(20, 1)), List.of(s(0, 50, 1))),
        Arguments.of("no-data ends the previous one", List.of(o(0, 1), o(10, Double.NaN), o(60, 1)),
            List.of(s(0, 10, 1), s(60, 90, 1))),
        Arguments.of("same instant from two nodes: the later listed wins", List.of(o(0, 1), o(0, 0)),
            List.of(s(0, 30, 0))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void segments(String name, List<Observation> obs, List<Segment> expected) {
    assertThat(Timeline.segments(obs)).isEqualTo(expected);
  }

  static Stream<Arguments> atLeast() {
    List<Segment> nodeA = List.of(s(0, 100, 1), s(100, 200, 0));
    List<Segment> nodeB = List.of(s(50, 150, 1));
    return Stream.of(
        Arguments.of("one replica needed, spread over nodes", 1, List.of(nodeA, nodeB),
            List.of(s(0, 150, 1), s(150, 200, 0))),
        Arguments.of("two replicas needed", 2, List.of(nodeA, nodeB),
            List.of(s(0, 50, 0), s(50, 100, 1), s(100, 200, 0))),
        Arguments.of("uncovered stays uncovered", 1, List.of(List.of(s(0, 10, 1), s(20, 30, 0))),
            List.of(s(0, 10, 1), s(20, 30, 0))),
        Arguments.of("a count of two on one node", 2, List.of(List.of(s(0, 10, 2), s(10, 20, 1))),
            List.of(s(0, 10, 1), s(10, 20, 0))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void atLeast(String name, int min, List<List<Segment>> inputs, List<Segment> expected) {
    assertThat(Timeline.atLeast(inputs, min)).isEqualTo(expected);
  }

  static Stream<Arguments> allUp() {
    List<Segment> a = List.of(s(0, 100, 1));
    List<Segment> b = List.of(s(0, 40, 1), s(40, 60, 0), s(60, 80, 1));
    List<Segment> late = List.of(s(50, 100, 1));
    return Stream.of(
        Arguments.of("any service down is down", List.of(a, b), new long[] {0, 0},
            List.of(s(0, 40, 1), s(40, 60, 0), s(60, 80, 1), s(80, 100, 0))),
        Arguments.of("a service not yet born does not count", List.of(a, late), new long[] {0, 50},
            List.of(s(0, 100, 1))),
        Arguments.of("nothing covered is no data", List.of(List.of(s(10, 20, 1))), new long[] {0},
            List.of(s(10, 20, 1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void allUp(String name, List<List<Segment>> services, long[] births, List<Segment> expected) {
    assertThat(Timeline.allUp(services, births)).isEqualTo(expected);
  }
}
