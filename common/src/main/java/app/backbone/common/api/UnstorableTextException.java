package app.backbone.common.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A JSON string holds a character no column can store (PostgreSQL text and jsonb refuse NUL): the value is wrong, so
 * the error mapper answers {@code VALIDATION_ERROR} naming the field, before anything is written.
 */
public class UnstorableTextException extends JsonMappingException {

    public static final String MESSAGE = "must not contain NUL characters";

    public UnstorableTextException(JsonParser parser) {
        super(parser, "A string holds a NUL character");
    }

    static String check(JsonParser parser, String text) throws UnstorableTextException {
        if (text != null && text.indexOf('\u0000') >= 0) {
            throw new UnstorableTextException(parser);
        }
        return text;
    }
}
