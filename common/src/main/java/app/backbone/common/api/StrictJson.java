package app.backbone.common.api;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A body is one JSON document of the expected shape, with text the database can store:
 * <ul>
 * <li>{@code {"name":"Ada"} garbage} is {@code INVALID_JSON}, not read up to the first value;</li>
 * <li>{@code {"email":"a@b.co","email":"c@d.co"}} is {@code INVALID_JSON}, not "the last one wins";</li>
 * <li>a number or boolean where text is expected ({@code "name": 123}) is {@code INVALID_JSON}, not turned into
 * {@code "123"};</li>
 * <li>a string or map key holding NUL ({@code \u0000}) is {@code VALIDATION_ERROR}, not a failed insert.</li>
 * </ul>
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("storable-text")
                .addDeserializer(String.class, new StorableText())
                .addKeyDeserializer(String.class, new StorableKey()));
    }

    /** Jackson's own string reading, then the NUL check; also used for untyped values ({@code Map<String, Object>}). */
    static final class StorableText extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return UnstorableTextException.check(p, super.deserialize(p, ctxt));
        }
    }

    static final class StorableKey extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            return UnstorableTextException.check(ctxt.getParser(), key);
        }
    }
}
