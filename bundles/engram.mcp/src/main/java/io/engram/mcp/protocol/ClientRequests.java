package io.engram.mcp.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Requests the server sends to the client (such as {@code roots/list}), matched with the
 * client's responses by id. Each ends exactly once: with its result, with the client's error,
 * or when no answer came in time; a response that comes later, or to no request, is ignored.
 * The handlers run on the thread that delivered the response or on the timer: they must be quick.
 */
final class ClientRequests {

    /** What becomes of one request. */
    interface Handler {
        void onResult(JsonElement result);

        /** The client answered with an error, or did not answer in time; {@code why} says which. */
        void onFailure(String why);
    }

    private final Consumer<JsonObject> out;
    private final ScheduledExecutorService timer;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<JsonElement, Pending> pending = new ConcurrentHashMap<>();

    ClientRequests(Consumer<JsonObject> out, ScheduledExecutorService timer) {
        this.out = out;
        this.timer = timer;
    }

    /** Sends {@code method} to the client; {@code params} may be null. */
    void send(String method, JsonObject params, Duration timeout, Handler handler) {
        // a prefix no client uses for its own ids makes the direction of a message obvious in a trace
        JsonElement id = new JsonPrimitive("engram-" + nextId.getAndIncrement());
        Pending request = new Pending(method, handler);
        pending.put(id, request);
        try {
            request.timeout = timer.schedule(() -> {
                if (pending.remove(id, request)) {
                    handler.onFailure("no answer to " + method + " within " + timeout.toMillis() + " ms");
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(id, request); // the session is closing
            return;
        }
        JsonObject message = new JsonObject();
        message.addProperty("jsonrpc", "2.0");
        message.add("id", id);
        message.addProperty("method", method);
        if (params != null) {
            message.add("params", params);
        }
        out.accept(message);
    }

    /**
     * Ends the request {@code response} answers.
     *
     * @return false when no pending request has its id (unknown, already answered or timed out)
     */
    boolean complete(JsonObject response) {
        JsonElement id = response.get("id");
        Pending request = id == null ? null : pending.remove(id);
        if (request == null) {
            return false;
        }
        ScheduledFuture<?> timeout = request.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        JsonElement error = response.get("error");
        if (error != null) {
            request.handler.onFailure("the client answered " + request.method + " with an error: " + error);
        } else {
            request.handler.onResult(response.get("result"));
        }
        return true;
    }

    /** Forgets every pending request; their handlers are not called. */
    void close() {
        pending.values().forEach(request -> {
            ScheduledFuture<?> timeout = request.timeout;
            if (timeout != null) {
                timeout.cancel(false);
            }
        });
        pending.clear();
    }

    private static final class Pending {
        final String method;
        final Handler handler;
        volatile ScheduledFuture<?> timeout;

        Pending(String method, Handler handler) {
            this.method = method;
            this.handler = handler;
        }
    }
}
