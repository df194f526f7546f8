package io.fleetpulse.agent.source.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No docker-java type crosses the package's public surface. */
class DockerBoundaryTest {
  @Test
  void publicApiMentionsNoDockerJavaType() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : List.of(DockerSource.class, DockerConfig.class, DockerConfig.ExpectedService.class)) {
      for (Method m : type.getMethods()) {
        if (Modifier.isPublic(m.getModifiers())) {
          check(leaks, type + "." + m.getName(), m.getGenericReturnType().getTypeName());
          for (var p : m.getGenericParameterTypes()) {
            check(leaks, type + "." + m.getName(), p.getTypeName());
          }
        }
      }
      for (Constructor<?> c : type.getConstructors()) {
        for (var p : c.getGenericParameterTypes()) {
          check(leaks, type + ".<init>", p.getTypeName());
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static void check(List<String> leaks, String where, String typeName) {
    if (typeName.contains("com.github.dockerjava")) {
      leaks.add(where + ": " + typeName);
    }
  }
}
