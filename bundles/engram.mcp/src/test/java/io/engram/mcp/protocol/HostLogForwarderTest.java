package io.engram.mcp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Host warnings reach the client as notifications/message, through a real java.util.logging logger. */
class HostLogForwarderTest {

    private final SessionHarness harness = new SessionHarness();
    private final HostLogForwarder forwarder = new HostLogForwarder(harness.session);
    private final Logger root = Logger.getLogger("");
    private final Logger plugins = Logger.getLogger("io.engram.test.plugins");

    @BeforeEach
    void install() {
        root.addHandler(forwarder);
    }

    @AfterEach
    void remove() {
        root.removeHandler(forwarder);
        harness.close();
    }

    private JsonObject nextMessage() {
        JsonObject notification = harness.next().getAsJsonObject();
        assertEquals("notifications/message", notification.get("method").getAsString(), notification.toString());
        return notification.getAsJsonObject("params");
    }

    @Test
    void warningsBeforeInitializeAreHeldAndSentAfterIt() throws InterruptedException {
        plugins.log(Level.WARNING, "Error while starting bundle: file:/deploy/broken.jar",
                new IllegalStateException("activator failed", new IOException("no such file: data.bin")));
        harness.assertNothingSent(100);
        harness.initialize("2025-06-18");
        JsonObject params = nextMessage();
        assertEquals("warning", params.get("level").getAsString());
        assertEquals("io.engram.test.plugins", params.get("logger").getAsString());
        assertEquals("Error while starting bundle: file:/deploy/broken.jar: java.lang.IllegalStateException:"
                + " activator failed; caused by java.io.IOException: no such file: data.bin",
                params.get("data").getAsString());
    }

    @Test
    void severeIsAnErrorAndInfoIsNotSent() throws InterruptedException {
        harness.initialize("2025-06-18");
        plugins.info("Installing bundle example / 1.0.0");
        plugins.severe("config/engram.storage.cfg: maxReaders = \"abc\" is not a whole number");
        JsonObject params = nextMessage();
        assertEquals("error", params.get("level").getAsString());
        assertEquals("config/engram.storage.cfg: maxReaders = \"abc\" is not a whole number",
                params.get("data").getAsString());
        harness.assertNothingSent(100);
    }

    @Test
    void theClientsLevelFiltersAndItsOwnTrafficIsNotEchoed() throws InterruptedException {
        harness.initialize("2025-06-18");
        harness.result("1", "logging/setLevel", "{\"level\":\"error\"}");
        plugins.warning("below the client's level");
        Logger.getLogger(McpSession.class.getName()).severe("about the client's own message");
        harness.assertNothingSent(100);
        plugins.severe("at the client's level");
        assertEquals("at the client's level", nextMessage().get("data").getAsString());
    }
}
