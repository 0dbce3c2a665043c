package io.engram.tests;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A minimal MCP client over a pair of streams, as an IDE speaks it: JSON-RPC lines out,
 * responses routed to their request by id, notifications queued, the server's requests answered
 * by the handler registered for their method (else "method not found"). Every incoming line must
 * be a JSON-RPC message; anything else is recorded as a protocol violation.
 */
class McpClient {

    static final Gson GSON = new Gson();
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final OutputStream toServer;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<String, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    final BlockingQueue<JsonObject> notifications = new LinkedBlockingQueue<>();
    final BlockingQueue<JsonObject> unmatched = new LinkedBlockingQueue<>();
    /** The server's requests, each added once its answer has been sent. */
    final BlockingQueue<JsonObject> serverRequests = new LinkedBlockingQueue<>();
    private final Map<String, Function<JsonObject, Object>> requestHandlers = new ConcurrentHashMap<>();
    final List<String> nonProtocolLines = java.util.Collections.synchronizedList(new ArrayList<>());

    McpClient(InputStream fromServer, OutputStream toServer, String name) {
        this.toServer = toServer;
        Thread reader = new Thread(() -> readMessages(fromServer), "mcp-client-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** What the server logged, for assertion messages; empty when not known. */
    String stderr() {
        return "";
    }

    private void readMessages(InputStream fromServer) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonElement parsed;
                try {
                    parsed = JsonParser.parseString(line);
                } catch (RuntimeException e) {
                    nonProtocolLines.add(line);
                    continue;
                }
                if (parsed.isJsonArray()) {
                    parsed.getAsJsonArray().forEach(e -> route(e.getAsJsonObject()));
                } else if (parsed.isJsonObject() && "2.0".equals(str(parsed.getAsJsonObject(), "jsonrpc"))) {
                    route(parsed.getAsJsonObject());
                } else {
                    nonProtocolLines.add(line);
                }
            }
        } catch (IOException ignored) {
            // the server went away
        }
    }

    /** Answers the server's requests for {@code method} with what {@code handler} returns for their params. */
    void onRequest(String method, Function<JsonObject, Object> handler) {
        requestHandlers.put(method, handler);
    }

    private void route(JsonObject message) {
        if (message.has("id") && message.has("method")) {
            answerServerRequest(message);
        } else if (message.has("id") && !message.has("method")) {
            CompletableFuture<JsonObject> future =
                    message.get("id").isJsonNull() ? null : pending.remove(message.get("id").toString());
            if (future != null) {
                future.complete(message);
            } else {
                unmatched.add(message);
            }
        } else {
            notifications.add(message);
        }
    }

    private void answerServerRequest(JsonObject request) {
        JsonObject response = new JsonObject();
        response.addProperty("jsonrpc", "2.0");
        response.add("id", request.get("id"));
        Function<JsonObject, Object> handler = requestHandlers.get(str(request, "method"));
        if (handler == null) {
            JsonObject error = new JsonObject();
            error.addProperty("code", -32601);
            error.addProperty("message", "Method not found");
            response.add("error", error);
        } else {
            JsonObject params = request.has("params") ? request.getAsJsonObject("params") : new JsonObject();
            response.add("result", GSON.toJsonTree(handler.apply(params)));
        }
        try {
            sendLine(response.toString());
        } catch (IOException e) {
            return; // the server went away
        }
        serverRequests.add(request);
    }

    /** Waits for the next request of the server with this method (already answered), skipping others. */
    JsonObject awaitServerRequest(String method, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonObject next = left <= 0 ? null : serverRequests.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no " + method + " request within " + timeout + "\nserver log:\n" + stderr());
            }
            if (method.equals(str(next, "method"))) {
                return next;
            }
        }
    }

    /** Sends a raw line (it must not contain a newline). */
    synchronized void sendLine(String line) throws IOException {
        try {
            toServer.write(line.getBytes(StandardCharsets.UTF_8));
            toServer.write('\n');
            toServer.flush();
        } catch (IOException e) {
            // the server is gone: say what it printed, which usually says why
            throw new IOException(e.getMessage() + "; the server's stderr:\n" + stderr(), e);
        }
    }

    /** Sends raw bytes as they are, under the same lock as whole lines. */
    synchronized void sendRaw(byte[]... parts) throws IOException {
        for (byte[] part : parts) {
            toServer.write(part);
        }
        toServer.flush();
    }

    CompletableFuture<JsonObject> requestAsync(String method, Object params) throws IOException {
        long id = nextId.getAndIncrement();
        CompletableFuture<JsonObject> future = new CompletableFuture<>();
        pending.put(Long.toString(id), future);
        JsonObject message = new JsonObject();
        message.addProperty("jsonrpc", "2.0");
        message.addProperty("id", id);
        message.addProperty("method", method);
        if (params != null) {
            message.add("params", GSON.toJsonTree(params));
        }
        sendLine(message.toString());
        return future;
    }

    /** Sends a request and waits for its response (result or error). */
    JsonObject request(String method, Object params) throws Exception {
        return requestAsync(method, params).get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a request and returns its result, failing on an error response. */
    JsonObject result(String method, Object params) throws Exception {
        JsonObject response = request(method, params);
        if (response.has("error")) {
            throw new AssertionError(method + " failed: " + response.get("error") + "\nserver log:\n" + stderr());
        }
        return response.getAsJsonObject("result");
    }

    void notify(String method, Object params) throws IOException {
        JsonObject message = new JsonObject();
        message.addProperty("jsonrpc", "2.0");
        message.addProperty("method", method);
        if (params != null) {
            message.add("params", GSON.toJsonTree(params));
        }
        sendLine(message.toString());
    }

    /** initialize + notifications/initialized; returns the initialize result. */
    JsonObject initialize(String protocolVersion) throws Exception {
        return initialize(protocolVersion, Map.of());
    }

    /** initialize, declaring these client capabilities, + notifications/initialized; returns the initialize result. */
    JsonObject initialize(String protocolVersion, Map<String, ?> capabilities) throws Exception {
        JsonObject result = result("initialize", Map.of(
                "protocolVersion", protocolVersion,
                "capabilities", capabilities,
                "clientInfo", Map.of("name", "engram-tests", "version", "1")));
        notify("notifications/initialized", null);
        return result;
    }

    /** Calls a tool and returns the tools/call result (which may have isError). */
    JsonObject callTool(String name, Map<String, ?> arguments) throws Exception {
        return result("tools/call", Map.of("name", name, "arguments", arguments));
    }

    /** Calls a tool and returns its structuredContent, failing if the call is an error. */
    JsonObject callToolOk(String name, Map<String, ?> arguments) throws Exception {
        JsonObject result = callTool(name, arguments);
        if (result.has("isError") && result.get("isError").getAsBoolean()) {
            throw new AssertionError(name + " returned an error: " + result + "\nserver log:\n" + stderr());
        }
        return result.getAsJsonObject("structuredContent");
    }

    /** Waits for the next notification with this method, skipping others. */
    /** The names of the tools tools/list answers (the host lists them all on one page). */
    Set<String> toolNames() throws Exception {
        Set<String> names = new TreeSet<>();
        result("tools/list", Map.of()).getAsJsonArray("tools")
                .forEach(tool -> names.add(tool.getAsJsonObject().get("name").getAsString()));
        return names;
    }

    /**
     * Lists the tools, and again on each list_changed, until {@code wanted} holds, as a client does
     * (a family's tools register one by one, so one notice may come before all of them); returns the
     * names then. Fails after {@code timeout}.
     */
    Set<String> awaitTools(Predicate<Set<String>> wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> names = toolNames();
        while (!wanted.test(names)) {
            awaitNotification("notifications/tools/list_changed",
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            names = toolNames();
        }
        return names;
    }

    JsonObject awaitNotification(String method, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonObject next = left <= 0 ? null : notifications.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no " + method + " within " + timeout + "\nserver log:\n" + stderr());
            }
            if (method.equals(str(next, "method"))) {
                return next;
            }
        }
    }

    static String str(JsonObject object, String member) {
        JsonElement element = object.get(member);
        return element == null || element.isJsonNull() ? null : element.getAsString();
    }
}
