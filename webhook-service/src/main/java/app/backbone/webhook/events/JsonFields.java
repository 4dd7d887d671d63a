package app.backbone.webhook.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;

/**
 * Reads provider JSON as a tree, tolerant of what changes between API versions: a missing field, a null, an id that
 * is sometimes a string and sometimes an expanded object.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /**
     * The body as UTF-8 text, strictly: providers send UTF-8 JSON, and a lenient decoding would store (and apply)
     * something other than what was sent.
     */
    public static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "The event is not valid UTF-8");
        }
    }

    /** The signed body as a JSON object; anything else is the sender's mistake, {@code INVALID_JSON}. */
    public static JsonNode parseObject(ObjectMapper json, String payload) {
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "The event is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(ErrorCode.INVALID_JSON, "The event must be a JSON object");
        }
        return root;
    }

    /** The text at the path, or null when it is missing, null or blank. Numbers are answered as their text. */
    public static String text(JsonNode node, String... path) {
        JsonNode at = at(node, path);
        if (at == null || !(at.isTextual() || at.isNumber())) {
            return null;
        }
        String value = at.asText();
        return value.isBlank() ? null : value;
    }

    /** An id that may be a plain string or an expanded object with an {@code id}. */
    public static String id(JsonNode node, String... path) {
        JsonNode at = at(node, path);
        if (at != null && at.isObject()) {
            return text(at, "id");
        }
        return text(node, path);
    }

    public static Long number(JsonNode node, String... path) {
        JsonNode at = at(node, path);
        return at != null && at.isIntegralNumber() ? at.asLong() : null;
    }

    /** A JSON boolean at the path, or null when it is missing or not a boolean. */
    public static Boolean bool(JsonNode node, String... path) {
        JsonNode at = at(node, path);
        return at != null && at.isBoolean() ? at.asBoolean() : null;
    }

    /** A Unix timestamp in seconds, as a UTC date-time. */
    public static OffsetDateTime epochSeconds(JsonNode node, String... path) {
        Long seconds = number(node, path);
        return seconds == null ? null : OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
    }

    /** The first element of an array at the path, or null. */
    public static JsonNode first(JsonNode node, String... path) {
        JsonNode at = at(node, path);
        return at != null && at.isArray() && !at.isEmpty() ? at.get(0) : null;
    }

    private static JsonNode at(JsonNode node, String... path) {
        JsonNode at = node;
        for (String field : path) {
            if (at == null || !at.isObject()) {
                return null;
            }
            at = at.get(field);
        }
        return at == null || at.isNull() || at.isMissingNode() ? null : at;
    }
}
