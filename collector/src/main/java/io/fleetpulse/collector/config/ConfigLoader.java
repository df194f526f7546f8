package io.fleetpulse.collector.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads {@code collector.yaml} into a {@link CollectorConfig}. A pure function of the file: no
 * environment, no side effects. Unknown keys, wrong types and rule violations are all collected
 * before failing, each as "path: reason".
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /** Loads and validates {@code file}; a null file means "no file": all defaults. */
  public static CollectorConfig load(Path file) throws ConfigException {
    if (file == null) {
      return validated(CollectorConfig.defaults(), "defaults");
    }
    byte[] yaml;
    try {
      yaml = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("$: file does not exist"));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("$: cannot read: " + e.getMessage()));
    }
    return parse(yaml, file.toString());
  }

  /** Parses and validates YAML text; {@code source} names it in messages. */
  public static CollectorConfig parse(byte[] yaml, String source) throws ConfigException {
    List<String> problems = new ArrayList<>();
    ObjectMapper mapper = mapper(problems);
    CollectorConfig config;
    try {
      config = yaml.length == 0 ? null : mapper.readValue(yaml, CollectorConfig.class);
    } catch (JsonProcessingException e) {
      problems.add(path(e.getProcessor() instanceof JsonParser p ? p.getParsingContext() : null)
          + ": " + e.getOriginalMessage());
      throw new ConfigException(source, problems);
    } catch (IOException e) {
      throw new ConfigException(source, List.of("$: " + e.getMessage()));
    }
    if (config == null) {
      config = CollectorConfig.defaults();
    }
    if (!problems.isEmpty()) {
      problems.addAll(config.problems());
      throw new ConfigException(source, problems);
    }
    return validated(config, source);
  }

  private static CollectorConfig validated(CollectorConfig config, String source)
      throws ConfigException {
    List<String> problems = config.problems();
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return config;
  }

  private static ObjectMapper mapper(List<String> problems) {
    SimpleModule durations = new SimpleModule("durations");
    durations.addDeserializer(Duration.class, new Durations.Deserializer());
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    mapper.registerModule(durations);
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper.addHandler(new Collecting(problems));
    return mapper;
  }

  /** Records every unknown key and bad scalar, then lets binding go on with the default. */
  private static final class Collecting extends DeserializationProblemHandler {
    private final List<String> problems;

    Collecting(List<String> problems) {
      this.problems = problems;
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      problems.add(path(p.getParsingContext()) + ": unknown key");
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleWeirdStringValue(
        DeserializationContext ctxt, Class<?> targetType, String valueToConvert, String failureMsg) {
      String reason =
          failureMsg != null && failureMsg.startsWith("'")
              ? failureMsg
              : "'" + valueToConvert + "' is not a valid " + targetType.getSimpleName();
      problems.add(path(ctxt.getParser().getParsingContext()) + ": " + reason);
      return null;
    }

    @Override
    public Object handleWeirdNumberValue(
        DeserializationContext ctxt, Class<?> targetType, Number valueToConvert, String failureMsg) {
      problems.add(path(ctxt.getParser().getParsingContext()) + ": " + valueToConvert
          + " is not a valid " + targetType.getSimpleName());
      return null;
    }

    @Override
    public Object handleUnexpectedToken(
        DeserializationContext ctxt, JavaType targetType, com.fasterxml.jackson.core.JsonToken t,
        JsonParser p, String failureMsg) throws IOException {
      problems.add(path(p.getParsingContext()) + ": expected "
          + describe(targetType.getRawClass()) + ", got " + (t == null ? "nothing" : t.asString() == null ? t.name() : "'" + p.getText() + "'"));
      p.skipChildren();
      return null;
    }
  }

  private static String describe(Class<?> type) {
    if (Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class) {
      return "true or false";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type == Duration.class) {
      return "a duration such as 10s";
    }
    return "a mapping";
  }

  static String path(JsonStreamContext ctx) {
    if (ctx == null) {
      return "$";
    }
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      } else if (c.inArray()) {
        parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    String joined = String.join("", parts);
    return joined.isEmpty() ? "$" : joined.startsWith(".") ? joined.substring(1) : joined;
  }
}
