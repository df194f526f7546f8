package io.fleetpulse.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Set;

/**
 * The one JSON codec of protocol v1. Thread-safe; create one per process and share it.
 *
 * <p>Decoding enforces: JSON syntax; nesting depth, string and number length limits (hostile
 * input); the schema's major version; known sample kinds (unknown ones are skipped); field types;
 * and every record's own invariants. Unknown fields are ignored.
 */
public final class ProtocolCodec {
  /** Deepest JSON nesting a valid batch needs is 5; anything far deeper is hostile. */
  public static final int MAX_NESTING_DEPTH = 32;

  public static final int MAX_STRING_LENGTH = 64 * 1024;

  private static final Set<String> KINDS =
      Set.of(
          GpuSample.KIND,
          ReplicaSample.KIND,
          ServiceSample.KIND,
          SwarmNodeSample.KIND,
          ProbeSample.KIND,
          SourceStatusSample.KIND,
          AgentSample.KIND,
          PodSample.KIND,
          WorkloadSample.KIND,
          KubeNodeSample.KIND);

  private final ObjectMapper mapper;
  /** Binds straight from the bytes: for well-formed batches, the common case (see decode). */
  private final ObjectReader fastReader;

  public ProtocolCodec() {
    this.mapper = buildMapper();
    this.fastReader = mapper.readerFor(Batch.class);
  }

  private static ObjectMapper buildMapper() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(64)
                    .maxNameLength(256)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    return JsonMapper.builder(factory)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .withCoercionConfigDefaults(
                config -> {
                  // "7" for a number, 7 or 7.5 for a string or a boolean: a type error, not a guess.
                  config.setCoercion(CoercionInputShape.String, CoercionAction.Fail);
                  config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                  config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                  config.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                  config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
                })
            .withCoercionConfig(
                LogicalType.Textual,
                config -> config.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
            .withCoercionConfig(
                LogicalType.Float,
                config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert))
            .withCoercionConfig(
                LogicalType.Integer,
                config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert))
            .withCoercionConfig(
                LogicalType.Boolean,
                config -> config.setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert))
            .withCoercionConfig(
                LogicalType.Enum,
                config -> config.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
            .build();
  }

  /** Compact UTF-8 JSON. */
  public byte[] encode(Batch batch) {
    try {
      return mapper.writeValueAsBytes(batch);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Indented JSON, for people. */
  public String encodePretty(Batch batch) {
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(batch);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes and validates one batch.
   *
   * @throws ProtocolException naming the field path and the reason
   */
  public Batch decode(byte[] json) throws ProtocolException {
    Batch fast = decodeFast(json);
    return fast != null ? fast : decodeValidating(json);
  }

  /**
   * One pass from the bytes to the records, no intermediate tree: about half the cost of the
   * validating path. Null (and no verdict) for anything it is not sure of — an unknown sample
   * kind, any binding error, a version the validating path would refuse — so that
   * every refusal and every skipped kind comes from {@link #decodeValidating} exactly as before;
   * it binds with the same mapper, so it accepts nothing that path refuses.
   */
  Batch decodeFast(byte[] json) {
    Batch b;
    try {
      b = fastReader.readValue(json);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (b == null) {
      return null; // a bare JSON null
    }
    try {
      checkVersion(b.schemaVersion() == null ? null : TextNode.valueOf(b.schemaVersion()));
    } catch (ProtocolException e) {
      return null;
    }
    return b;
  }

  /** The validating path: a tree first (version, sample shapes, unknown kinds), then binding. */
  Batch decodeValidating(byte[] json) throws ProtocolException {
    JsonNode tree;
    try {
      tree = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ProtocolException(
          ProtocolException.Kind.MALFORMED_JSON, "$", e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ProtocolException(ProtocolException.Kind.MALFORMED_JSON, "$", e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw invalid("$", "must be a JSON object");
    }
    checkVersion(tree.get("schemaVersion"));
    dropUnknownKinds(tree.get("samples"));
    try {
      return mapper.treeToValue(tree, Batch.class);
    } catch (ValueInstantiationException e) {
      String path = path(e);
      if (e.getCause() instanceof FieldException f) {
        return failWith(join(path, f.field()), f.reason(), e);
      }
      return failWith(path, rootMessage(e), e);
    } catch (InvalidFormatException e) {
      String allowed = allowedValues(e.getTargetType());
      return failWith(path(e), "cannot be " + describe(e.getValue()) + allowed, e);
    } catch (MismatchedInputException e) {
      return failWith(path(e), "expected " + typeName(e.getTargetType()), e);
    } catch (JsonMappingException e) {
      return failWith(path(e), e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      return failWith("$", e.getOriginalMessage(), e);
    }
  }

  private static void checkVersion(JsonNode version) throws ProtocolException {
    if (version == null || version.isNull()) {
      throw invalid("schemaVersion", "is required");
    }
    if (!version.isTextual()) {
      throw invalid("schemaVersion", "must be a string such as \"" + Batch.SCHEMA_VERSION + "\"");
    }
    String text = version.asText();
    int dot = text.indexOf('.');
    String majorText = dot < 0 ? text : text.substring(0, dot);
    int major;
    try {
      major = Integer.parseInt(majorText);
    } catch (NumberFormatException e) {
      throw invalid("schemaVersion", "must be \"major.minor\", got \"" + clip(text) + "\"");
    }
    if (major > Batch.SCHEMA_MAJOR || major < 1) {
      throw new ProtocolException(
          ProtocolException.Kind.UNSUPPORTED_SCHEMA_VERSION,
          "schemaVersion",
          "unsupported schema version \""
              + clip(text)
              + "\": this collector speaks "
              + Batch.SCHEMA_MAJOR
              + ".x",
          null);
    }
  }

  private static void dropUnknownKinds(JsonNode samples) throws ProtocolException {
    if (!(samples instanceof ArrayNode array)) {
      return; // binding reports the type error with its path
    }
    int index = 0;
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); index++) {
      JsonNode sample = it.next();
      if (!(sample instanceof ObjectNode)) {
        throw invalid("samples[" + index + "]", "must be an object");
      }
      JsonNode kind = sample.get("type");
      if (kind == null || !kind.isTextual()) {
        throw invalid("samples[" + index + "].type", "is required and must be a string");
      }
      if (!KINDS.contains(kind.asText())) {
        it.remove();
      }
    }
  }

  private static Batch failWith(String field, String reason, Exception cause)
      throws ProtocolException {
    throw new ProtocolException(ProtocolException.Kind.INVALID_FIELD, field, reason, cause);
  }

  private static ProtocolException invalid(String field, String reason) {
    return new ProtocolException(ProtocolException.Kind.INVALID_FIELD, field, reason, null);
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.length() == 0 ? "$" : out.toString();
  }

  private static String join(String path, String field) {
    return "$".equals(path) ? field : path + "." + field;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static String allowedValues(Class<?> type) {
    if (type == null || !type.isEnum()) {
      return "";
    }
    StringBuilder out = new StringBuilder("; expected one of ");
    Object[] constants = type.getEnumConstants();
    for (int i = 0; i < constants.length; i++) {
      out.append(i == 0 ? "" : ", ")
          .append(((Enum<?>) constants[i]).name().toLowerCase(java.util.Locale.ROOT).replace("mcp_sse", "mcp-sse"));
    }
    return out.toString();
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + clip(s) + "\"" : String.valueOf(value);
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "a different type";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class) {
      return "a boolean";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (type.isEnum()) {
      return "one of the documented values";
    }
    return "an object";
  }

  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
