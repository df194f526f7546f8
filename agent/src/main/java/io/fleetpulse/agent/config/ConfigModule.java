package io.fleetpulse.agent.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Jackson bindings for the config syntax: {@link Duration} as "10s" (see {@link Durations}) and
 * byte sizes as "512MiB" (see {@link ByteSizes}). Malformed values go through the context's
 * problem handlers, so the loader can collect them instead of stopping at the first.
 */
public final class ConfigModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  public ConfigModule() {
    super("fleetpulse-agent-config");
    addDeserializer(Duration.class, new DurationDeserializer());
    addSerializer(Duration.class, new DurationSerializer());
  }

  static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_STRING) {
        String text = p.getText();
        Optional<Duration> d = Durations.parse(text);
        if (d.isPresent()) {
          return d.get();
        }
        return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, Durations.HINT);
      }
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        return (Duration)
            ctxt.handleWeirdNumberValue(Duration.class, p.getNumberValue(), Durations.HINT);
      }
      return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
    }
  }

  static final class DurationSerializer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(Durations.format(value));
    }
  }

  /** For {@code Long} fields holding a byte count. */
  public static final class ByteSizeDeserializer extends JsonDeserializer<Long> {
    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT) {
        return p.getLongValue();
      }
      if (t == JsonToken.VALUE_STRING) {
        Optional<Long> n = ByteSizes.parse(p.getText());
        if (n.isPresent()) {
          return n.get();
        }
        return (Long) ctxt.handleWeirdStringValue(ByteSize.class, p.getText(), ByteSizes.HINT);
      }
      return (Long) ctxt.handleUnexpectedToken(Long.class, p);
    }
  }

  public static final class ByteSizeSerializer extends JsonSerializer<Long> {
    @Override
    public void serialize(Long value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(ByteSizes.format(value));
    }
  }

  /** Marker type naming byte sizes in problem reports. */
  static final class ByteSize {
    private ByteSize() {}
  }
}
