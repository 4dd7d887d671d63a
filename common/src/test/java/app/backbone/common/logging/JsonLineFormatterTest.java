package app.backbone.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class JsonLineFormatterTest {

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void aRecordIsOneJsonLineWithTheRequestAndTraceIds() {
        MDC.put("requestId", "req-1");
        MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "Mail to \"%s\"\nfailed", ExtLogRecord.FormatStyle.PRINTF,
                "app.Test");
        record.setParameters(new Object[] {"ada"});
        record.setLoggerName("app.backbone.Test");

        String line = new JsonLineFormatter().format(record);

        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonObject json = new JsonObject(line);
        assertEquals("WARNING", json.getString("level"));
        assertEquals("app.backbone.Test", json.getString("logger"));
        assertEquals("Mail to \"ada\"\nfailed", json.getString("message"));
        assertEquals("req-1", json.getString("requestId"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", json.getString("traceId"));
    }

    @Test
    void fieldsOfALogFieldsLineAreTopLevelAndTheMdcDoesNotRepeatThem() {
        MDC.put("requestId", "req-2");
        MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "{0}", ExtLogRecord.FormatStyle.MESSAGE_FORMAT, "app.Test");
        record.setParameters(new Object[] {new LogFields("GET /x 200").put("type", "access").put("requestId", "req-2")
                .put("path", "/x\"y").put("status", 200).put("userId", null)});

        String line = new JsonLineFormatter().format(record);

        JsonObject json = new JsonObject(line);
        assertEquals("GET /x 200", json.getString("message"));
        assertEquals("access", json.getString("type"));
        assertEquals("/x\"y", json.getString("path"));
        assertEquals(200, json.getValue("status"));
        assertTrue(json.containsKey("userId") && json.getValue("userId") == null);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", json.getString("traceId"));
        assertEquals(1, line.split("\"requestId\"", -1).length - 1, "requestId once: " + line);
    }

    @Test
    void aLogFieldsLineReadsAsNameValuePairsInPlainText() {
        assertEquals("GET /x 200 type=access status=200 userId=null",
                new LogFields("GET /x 200").put("type", "access").put("status", 200).put("userId", null).toString());
    }

    @Test
    void anExceptionIsKeptInsideTheLine() {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "boom", "app.Test");
        record.setThrown(new IllegalStateException("broken\tthing"));

        JsonObject json = new JsonObject(new JsonLineFormatter().format(record));

        assertTrue(json.getString("exception").startsWith("java.lang.IllegalStateException: broken\tthing"));
    }
}
