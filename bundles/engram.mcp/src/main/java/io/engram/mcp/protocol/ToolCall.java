package io.engram.mcp.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.engram.api.store.StoreException;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.mcp.json.Json;
import io.engram.mcp.registry.RunningCall;
import io.engram.mcp.registry.ToolCatalog;
import io.engram.mcp.registry.ToolDescriptor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One {@code tools/call} in flight, and the {@link ToolContext} its tool sees. Whichever comes
 * first answers the request: the tool's result, the client's cancellation (no answer at all),
 * the timeout or the unloading of the tool; later outcomes are dropped.
 */
final class ToolCall implements Runnable, ToolContext, RunningCall {

    private static final Logger LOG = Logger.getLogger(ToolCall.class.getName());

    private final McpSession session;
    private final JsonElement id;
    private final ToolDescriptor tool;
    private final JsonObject arguments;
    private final JsonElement progressToken;
    private final ProtocolVersion version;
    private final String namespace;
    private final Consumer<JsonObject> reply;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile boolean cancelled;
    /** The worker running the tool, so a cancellation can interrupt it. Guarded by {@code this}. */
    private Thread worker;
    private volatile ScheduledFuture<?> timeout;
    /** Guarded by {@code this}. */
    private double lastProgress = Double.NEGATIVE_INFINITY;

    ToolCall(McpSession session, JsonElement id, ToolDescriptor tool, JsonObject arguments, JsonElement progressToken,
            ProtocolVersion version, String namespace, Consumer<JsonObject> reply) {
        this.session = session;
        this.id = id;
        this.tool = tool;
        this.arguments = arguments;
        this.progressToken = progressToken;
        this.version = version;
        this.namespace = namespace;
        this.reply = reply;
    }

    JsonElement id() {
        return id;
    }

    @Override
    public void run() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            worker = Thread.currentThread();
        }
        ToolCatalog catalog = session.catalog();
        JsonObject result;
        try {
            if (catalog.callStarted(tool, this)) {
                startTimeout();
                try {
                    result = execute();
                } finally {
                    catalog.callFinished(tool, this);
                }
            } else {
                // the tool was removed between its lookup and now
                result = unloadedResult();
            }
        } finally {
            synchronized (this) {
                worker = null;
            }
            // an interrupt aimed at this call must not hit the worker's next task
            Thread.interrupted();
        }
        answer(McpSession.result(id, result));
    }

    private void startTimeout() {
        long timeoutMs = session.settings().callTimeout().toMillis();
        ScheduledExecutorService timer = session.timer();
        if (!timer.isShutdown()) {
            timeout = timer.schedule(() -> timeOut(timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    private JsonObject execute() {
        Map<String, Object> decoded = Json.toJavaMap(arguments);
        try {
            ArgumentValidator.validate(tool.inputSchema(), decoded);
            ToolResult result = tool.tool().call(new Arguments(decoded), this);
            if (result == null) {
                throw new IllegalStateException("the tool returned no result");
            }
            return render(result);
        } catch (InvalidArgumentException | StoreException e) {
            return errorResult(e.getMessage());
        } catch (Exception | LinkageError | StackOverflowError e) {
            if (cancelled) {
                LOG.log(Level.FINE, "Tool " + tool.name() + " ended after cancellation", e);
            } else {
                LOG.log(Level.WARNING, "Tool " + tool.name() + " of bundle " + tool.origin().bundle() + " failed", e);
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return errorResult("tool " + tool.name() + " failed: " + message);
        }
    }

    private JsonObject render(ToolResult result) {
        Map<String, Object> structured = result.structuredContent();
        JsonElement structuredJson = structured == null ? null : Json.toTree(structured);
        String text = result.text() != null ? result.text() : Json.write(structuredJson);
        JsonObject json = textResult(text, result.isError());
        if (structured == null && !result.isError() && tool.outputSchema() != null) {
            LOG.warning("Tool " + tool.name() + " declares an output schema but returned no structured content;"
                    + " clients may reject the result");
        }
        if (structuredJson != null && !result.isError() && tool.outputSchema() != null
                && version.atLeast(ProtocolVersion.V2025_06_18)) {
            json.add("structuredContent", structuredJson);
        }
        return json;
    }

    private static JsonObject errorResult(String message) {
        return textResult(message, true);
    }

    private static JsonObject textResult(String text, boolean isError) {
        JsonObject block = new JsonObject();
        block.addProperty("type", "text");
        block.addProperty("text", text);
        JsonArray content = new JsonArray();
        content.add(block);
        JsonObject result = new JsonObject();
        result.add("content", content);
        result.addProperty("isError", isError);
        return result;
    }

    /** The client cancelled: stop the tool and send nothing. */
    void cancel() {
        // claim the answer before interrupting, or the interrupted tool's result could still go out
        if (answer(null)) {
            stop();
        }
    }

    private void timeOut(long timeoutMs) {
        if (answer(McpSession.result(id, errorResult("tool " + tool.name() + " timed out after " + timeoutMs + " ms")))) {
            LOG.warning("Tool " + tool.name() + " of bundle " + tool.origin().bundle() + " timed out after " + timeoutMs
                    + " ms; cancelling it");
            stop();
        }
    }

    @Override
    public Duration unloadDrain() {
        return session.settings().unloadDrain();
    }

    @Override
    public void unloaded() {
        if (answer(McpSession.result(id, unloadedResult()))) {
            LOG.warning("Tool " + tool.name() + " was unloaded while a call was running; cancelling it");
            stop();
        }
    }

    private JsonObject unloadedResult() {
        return errorResult("tool " + tool.name() + " was unloaded");
    }

    private synchronized void stop() {
        cancelled = true;
        if (worker != null) {
            worker.interrupt();
        }
    }

    /** Sends the first outcome (null: none) and forgets the call; false when another outcome came first. */
    private boolean answer(JsonObject response) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> pendingTimeout = timeout;
        if (pendingTimeout != null) {
            pendingTimeout.cancel(false);
        }
        session.forget(this);
        reply.accept(response);
        return true;
    }

    /** The session's namespace when the call started: a change of the client's roots does not move a running call. */
    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void progress(double progress, Double total, String message) {
        if (progressToken == null || answered.get() || !Double.isFinite(progress)) {
            return;
        }
        synchronized (this) {
            // the spec requires progress to grow; a repeat would only confuse the client
            if (progress <= lastProgress) {
                return;
            }
            lastProgress = progress;
        }
        JsonObject params = new JsonObject();
        params.add("progressToken", progressToken);
        params.addProperty("progress", progress);
        if (total != null && Double.isFinite(total)) {
            params.addProperty("total", total);
        }
        if (message != null && version.atLeast(ProtocolVersion.V2025_03_26)) {
            params.addProperty("message", message);
        }
        session.notifyClient("notifications/progress", params);
    }

    @Override
    public void log(LogLevel level, String message) {
        LOG.log(julLevel(level), "Tool " + tool.name() + ": " + message);
        if (answered.get() || level.compareTo(session.clientLogLevel()) < 0) {
            return;
        }
        JsonObject params = new JsonObject();
        params.addProperty("level", level.wireName());
        params.addProperty("logger", tool.name());
        params.addProperty("data", message);
        session.notifyClient("notifications/message", params);
    }

    private static Level julLevel(LogLevel level) {
        return switch (level) {
            case DEBUG -> Level.FINE;
            case INFO, NOTICE -> Level.INFO;
            case WARNING -> Level.WARNING;
            case ERROR, CRITICAL, ALERT, EMERGENCY -> Level.SEVERE;
        };
    }
}
