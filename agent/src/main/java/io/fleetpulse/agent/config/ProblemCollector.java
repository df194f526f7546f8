package io.fleetpulse.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Turns Jackson binding problems into "path: reason" messages and lets binding continue (the
 * offending value becomes null, i.e. its default), so one run reports every problem. One instance
 * per load; not thread-safe.
 */
final class ProblemCollector extends DeserializationProblemHandler {
  private final List<String> problems = new ArrayList<>();

  List<String> problems() {
    return problems;
  }

  void add(String problem) {
    problems.add(problem);
  }

  @Override
  public boolean handleUnknownProperty(
      DeserializationContext ctxt,
      JsonParser p,
      JsonDeserializer<?> deserializer,
      Object beanOrClass,
      String propertyName)
      throws IOException {
    JsonStreamContext ctx = p.getParsingContext();
    if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
      ctx = ctx.getParent();
    }
    problems.add(join(parentPath(ctx), propertyName) + ": unknown key");
    p.skipChildren();
    return true;
  }

  @Override
  public Object handleWeirdStringValue(
      DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg) {
    problems.add(valuePath(ctxt.getParser()) + ": '" + value + "' " + expectation(targetType));
    return null;
  }

  @Override
  public Object handleWeirdNumberValue(
      DeserializationContext ctxt, Class<?> targetType, Number value, String failureMsg) {
    problems.add(valuePath(ctxt.getParser()) + ": " + value + " " + expectation(targetType));
    return null;
  }

  @Override
  public Object handleUnexpectedToken(
      DeserializationContext ctxt,
      JavaType targetType,
      JsonToken t,
      JsonParser p,
      String failureMsg)
      throws IOException {
    JsonStreamContext ctx = p.getParsingContext();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      ctx = ctx.getParent();
    }
    problems.add(path(ctx) + ": expected " + describe(targetType) + ", got " + describe(t));
    p.skipChildren();
    return null;
  }

  @Override
  public Object handleMissingInstantiator(
      DeserializationContext ctxt,
      Class<?> instClass,
      com.fasterxml.jackson.databind.deser.ValueInstantiator valueInsts,
      JsonParser p,
      String msg)
      throws IOException {
    problems.add(path(p.getParsingContext()) + ": expected a section (key: value lines), got "
        + describe(p.currentToken()));
    p.skipChildren();
    return null;
  }

  private static String expectation(Class<?> type) {
    if (type == Duration.class) {
      return "is not a duration (" + Durations.HINT + ")";
    }
    if (type == ConfigModule.ByteSize.class) {
      return "is not a byte size (" + ByteSizes.HINT + ")";
    }
    if (type.isEnum()) {
      StringBuilder out = new StringBuilder("is not one of ");
      Object[] constants = type.getEnumConstants();
      for (int i = 0; i < constants.length; i++) {
        out.append(i == 0 ? "" : ", ")
            .append(((Enum<?>) constants[i]).name().toLowerCase(Locale.ROOT));
      }
      return out.toString();
    }
    if (type == Boolean.class || type == boolean.class) {
      return "is not true or false";
    }
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return "is not an integer";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "is not a number";
    }
    return "is not a valid " + type.getSimpleName();
  }

  private static String describe(JavaType type) {
    if (type.isCollectionLikeType() || type.isArrayType()) {
      return "a list";
    }
    Class<?> raw = type.getRawClass();
    if (raw == String.class) {
      return "a string";
    }
    if (raw == Duration.class) {
      return "a duration";
    }
    if (raw == Boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(raw)) {
      return "a number";
    }
    if (raw.isEnum()) {
      return "one of " + expectation(raw).substring("is not one of ".length());
    }
    return "a section (key: value lines)";
  }

  private static String describe(JsonToken t) {
    switch (t) {
      case START_OBJECT:
        return "a section";
      case START_ARRAY:
        return "a list";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      default:
        return t.name().toLowerCase(Locale.ROOT);
    }
  }

  private static String valuePath(JsonParser p) {
    return path(p.getParsingContext());
  }

  /** Path of the value the context currently points at. */
  static String path(JsonStreamContext ctx) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.getCurrentName() != null) {
        parts.push(c.getCurrentName());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      if (out.length() > 0 && !part.startsWith("[")) {
        out.append('.');
      }
      out.append(part);
    }
    return out.length() == 0 ? "(root)" : out.toString();
  }

  /** Path of the object the context is, without its current field. */
  private static String parentPath(JsonStreamContext ctx) {
    return ctx == null || ctx.inRoot() ? "" : path(ctx.getParent()).replace("(root)", "");
  }

  private static String join(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }
}
