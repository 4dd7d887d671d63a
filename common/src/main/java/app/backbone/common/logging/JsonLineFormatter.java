package app.backbone.common.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * One JSON object a line: time, level, logger, thread, message, the fields of a {@link LogFields} line, the MDC
 * (request and trace ids) and any exception.
 */
public class JsonLineFormatter extends ExtFormatter {

    @Override
    public String format(ExtLogRecord record) {
        StringBuilder json = new StringBuilder(512).append('{');
        field(json, "timestamp", Instant.ofEpochMilli(record.getMillis()).toString()).append(',');
        field(json, "level", record.getLevel().getName()).append(',');
        field(json, "logger", record.getLoggerName()).append(',');
        field(json, "thread", record.getThreadName()).append(',');
        Object[] parameters = record.getParameters();
        LogFields fields = parameters != null && parameters.length == 1 && parameters[0] instanceof LogFields f ? f : null;
        if (fields == null) {
            field(json, "message", formatMessage(record));
        } else {
            field(json, "message", fields.message());
            for (int i = 0; i < fields.size(); i++) {
                json.append(',');
                value(quote(json, fields.name(i)).append(':'), fields.value(i));
            }
        }
        Map<String, String> mdc = new TreeMap<>(record.getMdcCopy());
        for (Map.Entry<String, String> entry : mdc.entrySet()) {
            boolean written = fields != null && fields.has(entry.getKey());
            if (entry.getValue() != null && !entry.getValue().isEmpty() && !written) {
                json.append(',');
                field(json, entry.getKey(), entry.getValue());
            }
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            json.append(',');
            field(json, "exception", trace.toString());
        }
        return json.append("}\n").toString();
    }

    private static StringBuilder value(StringBuilder json, Object value) {
        if (value == null) {
            return json.append("null");
        }
        if (value instanceof Number || value instanceof Boolean) {
            return json.append(value);
        }
        return quote(json, value.toString());
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        return quote(quote(json, name).append(':'), value == null ? "" : value);
    }

    private static StringBuilder quote(StringBuilder json, String text) {
        json.append('"');
        int clean = 0;
        while (clean < text.length() && !needsEscape(text.charAt(clean))) {
            clean++;
        }
        // Most values (ids, paths, logger names) need no escaping: copy them whole.
        json.append(text, 0, clean);
        for (int i = clean; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '"' || c == '\\';
    }
}
