package app.backbone.common.logging;

import java.util.ArrayList;
import java.util.List;

/**
 * A log line made of named values, logged as the only parameter ({@code Log.infov("{0}", fields)}): the JSON console
 * writes each value as a top-level field, encoded once; plain lines show the message and {@code name=value} pairs.
 */
public final class LogFields {

    private final String message;
    private final List<String> names = new ArrayList<>(8);
    private final List<Object> values = new ArrayList<>(8);

    public LogFields(String message) {
        this.message = message;
    }

    /** Adds a field; a {@link Number} or {@link Boolean} stays a JSON number or boolean, anything else is text. */
    public LogFields put(String name, Object value) {
        names.add(name);
        values.add(value);
        return this;
    }

    public String message() {
        return message;
    }

    int size() {
        return names.size();
    }

    String name(int i) {
        return names.get(i);
    }

    Object value(int i) {
        return values.get(i);
    }

    boolean has(String name) {
        return names.contains(name);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(message);
        for (int i = 0; i < names.size(); i++) {
            text.append(' ').append(names.get(i)).append('=').append(values.get(i));
        }
        return text.toString();
    }
}
