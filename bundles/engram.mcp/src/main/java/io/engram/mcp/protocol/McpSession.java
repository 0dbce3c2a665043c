package io.engram.mcp.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import io.engram.api.tool.ToolContext.LogLevel;
import io.engram.mcp.json.Json;
import io.engram.mcp.metrics.CallMetrics;
import io.engram.mcp.registry.ToolCatalog;
import io.engram.mcp.registry.ToolDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * One MCP connection: JSON-RPC 2.0 framing rules, the initialize handshake and version
 * negotiation, the tools, ping and logging methods, and the session's namespace. It reads whole
 * JSON texts and writes whole JSON texts to a {@link MessageSink}; it knows nothing about pipes.
 *
 * <p>{@code tools/call} runs on the worker executor and is answered when it finishes, so
 * answers may overtake each other; everything else is answered at once. Bad input is answered
 * with an error and the session goes on serving.
 *
 * <p>The namespace (the client's workspace, {@link io.engram.api.tool.ToolContext#namespace()}) is
 * the first of the client's roots when it declares the roots capability: asked with
 * {@code roots/list} once it has initialized and again on each {@code notifications/roots/list_changed}.
 * Until an answer comes, and when the client has no roots, it is the host's fallback. Calls never
 * wait for the answer.
 */
public final class McpSession implements AutoCloseable {

    static final int MAX_HELD_HOST_LOGS = 100;

    private static final Logger LOG = Logger.getLogger(McpSession.class.getName());
    private static final String INSTRUCTIONS = "Engram is a local, durable memory for AI coding assistants:"
            + " store, search and update memories that persist across sessions and IDE windows.";

    private final ToolCatalog catalog;
    private final CallMetrics metrics;
    private final MessageSink sink;
    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<JsonElement, ToolCall> calls = new ConcurrentHashMap<>();
    private final Runnable listChanged = this::sendListChanged;
    /** The tools as this client last listed them; null before its first tools/list. */
    private volatile List<ToolDescriptor> lastListed;
    private volatile SessionSettings settings;
    private volatile ProtocolVersion version;
    private volatile boolean clientInitialized;
    private volatile LogLevel clientLogLevel = LogLevel.WARNING;
    private volatile boolean closed;
    private final ClientRequests clientRequests;
    /** The namespace when the client gives none. */
    private final SessionNamespace fallbackNamespace;
    private volatile SessionNamespace namespace;
    private volatile boolean clientHasRoots;
    /** Counts the roots/list requests sent; only the answer to the latest one counts. */
    private final AtomicLong rootsRequests = new AtomicLong();
    /** Host log messages that arrived before the client initialized; sent once it has. */
    private final Deque<JsonObject> heldHostLogs = new ArrayDeque<>();

    /**
     * @param metrics records every answered tools/call
     * @param workers runs tool calls; owned by the caller
     * @param fallbackNamespace the namespace when the client gives no roots
     */
    public McpSession(ToolCatalog catalog, CallMetrics metrics, MessageSink sink, ExecutorService workers,
            SessionSettings settings, SessionNamespace fallbackNamespace) {
        this.catalog = catalog;
        this.metrics = metrics;
        this.sink = sink;
        this.workers = workers;
        this.settings = settings;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "engram-mcp-call-timeout");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.clientRequests = new ClientRequests(this::send, timer);
        this.fallbackNamespace = fallbackNamespace;
        this.namespace = fallbackNamespace;
        LOG.info("Namespace " + fallbackNamespace.name() + " (from " + fallbackNamespace.source() + ")");
        catalog.addChangeListener(listChanged);
    }

    /** Applies new settings; calls already running keep their timeout. */
    public void updateSettings(SessionSettings newSettings) {
        settings = newSettings;
    }

    /** Handles one incoming JSON text: a request, a notification or (2025-03-26 only) a batch. */
    public void handleLine(String line) {
        JsonElement message;
        try {
            message = Json.parse(line);
        } catch (JsonParseException e) {
            send(error(JsonNull.INSTANCE, RpcException.PARSE_ERROR, "parse error: " + e.getMessage()));
            return;
        }
        if (message.isJsonArray()) {
            handleBatch(message.getAsJsonArray());
        } else {
            handleMessage(message, this::send);
        }
    }

    /** Answers an incoming message the transport dropped for its size. */
    public void rejectOversizedMessage(long limitBytes) {
        send(error(JsonNull.INSTANCE, RpcException.INVALID_REQUEST,
                "message too large: over " + limitBytes + " bytes"));
    }

    /** Tool calls started and not yet answered. */
    public int callsInFlight() {
        return calls.size();
    }

    /** Cancels every running call and stops sending. */
    @Override
    public void close() {
        closed = true;
        catalog.removeChangeListener(listChanged);
        calls.values().forEach(ToolCall::cancel);
        clientRequests.close();
        timer.shutdownNow();
    }

    private void handleBatch(JsonArray batch) {
        ProtocolVersion negotiated = version;
        if (negotiated == null || !negotiated.allowsBatches()) {
            String why = negotiated == null ? "batches are not supported before initialize"
                    : "batches are not supported in protocol version " + negotiated;
            send(error(JsonNull.INSTANCE, RpcException.INVALID_REQUEST, why));
            return;
        }
        if (batch.isEmpty()) {
            send(error(JsonNull.INSTANCE, RpcException.INVALID_REQUEST, "empty batch"));
            return;
        }
        BatchReply batchReply = new BatchReply(batch.size());
        for (JsonElement message : batch) {
            handleMessage(message, batchReply::add);
        }
    }

    /** Handles one message; {@code reply} is called exactly once, with null when nothing is to be sent. */
    private void handleMessage(JsonElement message, Consumer<JsonObject> reply) {
        if (!message.isJsonObject()) {
            reply.accept(error(JsonNull.INSTANCE, RpcException.INVALID_REQUEST,
                    "invalid request: expected a JSON-RPC object"));
            return;
        }
        JsonObject object = message.getAsJsonObject();
        JsonElement id = object.get("id");
        boolean validId = id != null && id.isJsonPrimitive()
                && (id.getAsJsonPrimitive().isString() || id.getAsJsonPrimitive().isNumber());
        JsonElement echoedId = validId ? id : JsonNull.INSTANCE;
        JsonElement method = object.get("method");
        if (method == null && (object.has("result") || object.has("error"))) {
            handleResponse(object);
            reply.accept(null); // a response is never answered
            return;
        }
        JsonElement params = object.get("params");
        String problem = null;
        if (!new JsonPrimitive("2.0").equals(object.get("jsonrpc"))) {
            problem = "invalid request: jsonrpc must be \"2.0\"";
        } else if (id != null && !validId) {
            problem = "invalid request: id must be a string or a number";
        } else if (method == null || !method.isJsonPrimitive() || !method.getAsJsonPrimitive().isString()) {
            problem = "invalid request: method must be a string";
        }
        if (problem != null) {
            reply.accept(error(echoedId, RpcException.INVALID_REQUEST, problem));
            return;
        }
        if (params != null && params.isJsonNull()) {
            params = null;
        }
        if (id == null) {
            if (params == null || params.isJsonObject()) {
                handleNotification(method.getAsString(), params == null ? new JsonObject() : params.getAsJsonObject());
            }
            reply.accept(null);
            return;
        }
        try {
            if (params != null && !params.isJsonObject()) {
                throw new RpcException(RpcException.INVALID_PARAMS, "params must be an object");
            }
            handleRequest(id, method.getAsString(), params == null ? new JsonObject() : params.getAsJsonObject(), reply);
        } catch (RpcException e) {
            reply.accept(error(id, e.code(), e.getMessage()));
        }
    }

    private void handleRequest(JsonElement id, String method, JsonObject params, Consumer<JsonObject> reply)
            throws RpcException {
        switch (method) {
            case "initialize" -> reply.accept(result(id, initialize(params)));
            case "ping" -> reply.accept(result(id, new JsonObject()));
            case "tools/list" -> reply.accept(result(id, listTools(params)));
            case "tools/call" -> startCall(id, params, reply);
            case "logging/setLevel" -> reply.accept(result(id, setLogLevel(params)));
            default -> throw new RpcException(RpcException.METHOD_NOT_FOUND, "method not found: " + method);
        }
    }

    private void handleNotification(String method, JsonObject params) {
        switch (method) {
            case "notifications/initialized" -> {
                if (version == null) {
                    LOG.fine("Ignoring notifications/initialized before initialize");
                } else if (!clientInitialized) {
                    clientInitialized = true;
                    sendHeldHostLogs();
                    if (clientHasRoots) {
                        askForRoots();
                    }
                }
            }
            case "notifications/roots/list_changed" -> {
                if (clientInitialized && clientHasRoots) {
                    askForRoots();
                } else {
                    LOG.fine("Ignoring notifications/roots/list_changed from a client that did not declare roots"
                            + " or has not initialized");
                }
            }
            case "notifications/cancelled" -> {
                JsonElement requestId = params.get("requestId");
                ToolCall call = requestId == null ? null : calls.get(requestId);
                if (call != null) {
                    LOG.fine(() -> "Client cancelled request " + requestId + ": " + params.get("reason"));
                    call.cancel();
                }
            }
            default -> LOG.fine(() -> "Ignoring notification " + method);
        }
    }

    private JsonObject initialize(JsonObject params) throws RpcException {
        if (version != null) {
            throw new RpcException(RpcException.INVALID_REQUEST, "already initialized with protocol version " + version);
        }
        String requested = optString(params, "protocolVersion");
        if (requested == null) {
            throw new RpcException(RpcException.INVALID_PARAMS, "protocolVersion must be a string");
        }
        ProtocolVersion negotiated = ProtocolVersion.fromWire(requested).orElse(ProtocolVersion.LATEST);
        version = negotiated;
        JsonElement clientInfo = params.get("clientInfo");
        JsonElement clientCapabilities = params.get("capabilities");
        clientHasRoots = clientCapabilities != null && clientCapabilities.isJsonObject()
                && clientCapabilities.getAsJsonObject().get("roots") instanceof JsonObject;
        LOG.info("Client " + (clientInfo == null ? "(unnamed)" : Json.write(clientInfo)) + " asked for protocol "
                + requested + "; speaking " + negotiated + (clientHasRoots ? "; it declares roots" : ""));

        JsonObject tools = new JsonObject();
        tools.addProperty("listChanged", true);
        JsonObject capabilities = new JsonObject();
        capabilities.add("tools", tools);
        capabilities.add("logging", new JsonObject());
        JsonObject serverInfo = new JsonObject();
        serverInfo.addProperty("name", "engram");
        serverInfo.addProperty("version", settings.serverVersion());
        if (negotiated.atLeast(ProtocolVersion.V2025_06_18)) {
            serverInfo.addProperty("title", "Engram");
        }
        JsonObject result = new JsonObject();
        result.addProperty("protocolVersion", negotiated.toString());
        result.add("capabilities", capabilities);
        result.add("serverInfo", serverInfo);
        result.addProperty("instructions", INSTRUCTIONS);
        return result;
    }

    private JsonObject listTools(JsonObject params) throws RpcException {
        ProtocolVersion negotiated = requireInitialized();
        JsonElement cursor = params.get("cursor");
        if (cursor != null && !cursor.isJsonNull() && !isString(cursor)) {
            throw new RpcException(RpcException.INVALID_PARAMS, "cursor must be a string");
        }
        awaitStartup();
        String cursorText = cursor == null || cursor.isJsonNull() ? null : cursor.getAsString();
        List<ToolDescriptor> tools = catalog.tools();
        lastListed = tools;
        return ToolListing.page(tools, cursorText, settings.pageSize(), negotiated);
    }

    /** Starts a call. Every answer to a tools/call, result or error, is recorded in the metrics here and only here. */
    private void startCall(JsonElement id, JsonObject params, Consumer<JsonObject> reply) throws RpcException {
        long startNanos = System.nanoTime();
        try {
            submitCall(id, params, (tool, response) -> {
                // a cancelled call gets no answer and is not counted
                if (response != null) {
                    metrics.record(tool.name(), System.nanoTime() - startNanos, isErrorResult(response));
                }
                reply.accept(response);
            });
        } catch (RpcException e) {
            metrics.record(null, System.nanoTime() - startNanos, true);
            throw e;
        }
    }

    private void submitCall(JsonElement id, JsonObject params, BiConsumer<ToolDescriptor, JsonObject> reply)
            throws RpcException {
        ProtocolVersion negotiated = requireInitialized();
        String name = optString(params, "name");
        if (name == null) {
            throw new RpcException(RpcException.INVALID_PARAMS, "params.name must be the tool's name");
        }
        JsonElement arguments = params.get("arguments");
        if (arguments != null && !arguments.isJsonNull() && !arguments.isJsonObject()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "params.arguments must be an object");
        }
        // A client that cached its tool list may call before the tool bundles have registered.
        Optional<ToolDescriptor> found = catalog.find(name);
        if (found.isEmpty()) {
            awaitStartup();
            found = catalog.find(name);
        }
        ToolDescriptor tool = found
                .orElseThrow(() -> new RpcException(RpcException.INVALID_PARAMS, "unknown tool: " + name));
        ToolCall call = new ToolCall(this, id, tool,
                arguments == null || arguments.isJsonNull() ? new JsonObject() : arguments.getAsJsonObject(),
                progressToken(params), negotiated, namespace.name(), response -> reply.accept(tool, response));
        if (calls.putIfAbsent(id, call) != null) {
            throw new RpcException(RpcException.INVALID_REQUEST, "request id " + id + " is already in use");
        }
        try {
            workers.execute(call);
        } catch (RejectedExecutionException e) {
            calls.remove(id, call);
            throw new RpcException(RpcException.INTERNAL_ERROR, "server is shutting down");
        }
    }

    /** A response to a request of the server's own; one to nothing pending is logged and dropped. */
    private void handleResponse(JsonObject response) {
        if (!clientRequests.complete(response)) {
            LOG.warning("Ignoring a response to no pending request of the server (unknown, answered or timed out): "
                    + abbreviated(Json.write(response)));
        }
    }

    /** Asks the client for its roots; the answer to the latest request sets the namespace. */
    private void askForRoots() {
        long request = rootsRequests.incrementAndGet();
        clientRequests.send("roots/list", null, settings.clientRequestTimeout(), new ClientRequests.Handler() {
            @Override
            public void onResult(JsonElement result) {
                if (request != rootsRequests.get()) {
                    LOG.fine("Ignoring the answer to an older roots/list request");
                    return;
                }
                try {
                    setNamespace(SessionNamespace.ofRootsResult(result).orElseGet(() -> new SessionNamespace(
                            fallbackNamespace.name(), fallbackNamespace.source() + "; the client lists no roots")));
                } catch (IllegalArgumentException e) {
                    LOG.warning("Ignoring a malformed answer to roots/list (" + abbreviated(e.getMessage())
                            + "); namespace stays " + namespace.name());
                }
            }

            @Override
            public void onFailure(String why) {
                LOG.warning("Roots unknown: " + abbreviated(why) + "; namespace stays " + namespace.name());
            }
        });
    }

    private void setNamespace(SessionNamespace next) {
        SessionNamespace previous = namespace;
        namespace = next;
        if (previous.name().equals(next.name())) {
            LOG.fine(() -> "Namespace stays " + next.name() + " (from " + next.source() + ")");
        } else {
            LOG.info("Namespace " + next.name() + " (from " + next.source() + "), was " + previous.name());
        }
    }

    /** The namespace a call starting now gets. */
    String namespace() {
        return namespace.name();
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static boolean isErrorResult(JsonObject response) {
        JsonElement result = response.get("result");
        if (result == null || !result.isJsonObject()) {
            return true;
        }
        JsonElement isError = result.getAsJsonObject().get("isError");
        return isError != null && isError.getAsBoolean();
    }

    /** Waits (bounded, once per host start) until the tools of the bundles started at launch are registered. */
    private void awaitStartup() {
        try {
            catalog.awaitStartup(settings.startupWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonElement progressToken(JsonObject params) {
        JsonElement meta = params.get("_meta");
        if (meta == null || !meta.isJsonObject()) {
            return null;
        }
        JsonElement token = meta.getAsJsonObject().get("progressToken");
        boolean valid = token != null && token.isJsonPrimitive()
                && (token.getAsJsonPrimitive().isString() || token.getAsJsonPrimitive().isNumber());
        return valid ? token : null;
    }

    private JsonObject setLogLevel(JsonObject params) throws RpcException {
        requireInitialized();
        String level = optString(params, "level");
        LogLevel parsed = Arrays.stream(LogLevel.values()).filter(l -> l.wireName().equals(level)).findFirst()
                .orElseThrow(() -> new RpcException(RpcException.INVALID_PARAMS, "unknown log level: " + level
                        + " (expected one of " + Arrays.stream(LogLevel.values()).map(LogLevel::wireName)
                                .collect(Collectors.joining(", ")) + ")"));
        clientLogLevel = parsed;
        return new JsonObject();
    }

    private ProtocolVersion requireInitialized() throws RpcException {
        ProtocolVersion negotiated = version;
        if (negotiated == null) {
            throw new RpcException(RpcException.INVALID_REQUEST, "server not initialized: send initialize first");
        }
        return negotiated;
    }

    private void sendListChanged() {
        // Changes that happened before the client's last tools/list (startup registrations) are not news to it,
        // and a client that has not listed yet has no list to refresh: its first tools/list is current.
        List<ToolDescriptor> listed = lastListed;
        if (clientInitialized && listed != null && !sameTools(listed, catalog.tools())) {
            notifyClient("notifications/tools/list_changed", null);
        }
    }

    private static boolean sameTools(List<ToolDescriptor> listed, List<ToolDescriptor> now) {
        if (listed == null || listed.size() != now.size()) {
            return false;
        }
        for (int i = 0; i < listed.size(); i++) {
            if (listed.get(i) != now.get(i)) { // a re-registered tool is a new descriptor, maybe a new schema
                return false;
            }
        }
        return true;
    }

    /**
     * Tells the client about something the host logged (a broken plugin, a rejected config
     * file) as notifications/message, if the client's level admits it. Messages from before
     * the client initialized are held (the newest {@value #MAX_HELD_HOST_LOGS}) and sent then.
     */
    public void sendHostLog(LogLevel level, String logger, String data) {
        JsonObject params = new JsonObject();
        params.addProperty("level", level.wireName());
        params.addProperty("logger", logger);
        params.addProperty("data", data);
        synchronized (heldHostLogs) {
            if (!clientInitialized) {
                if (heldHostLogs.size() == MAX_HELD_HOST_LOGS) {
                    heldHostLogs.removeFirst();
                }
                heldHostLogs.addLast(params);
                return;
            }
        }
        if (level.compareTo(clientLogLevel) >= 0) {
            notifyClient("notifications/message", params);
        }
    }

    private void sendHeldHostLogs() {
        List<JsonObject> held;
        synchronized (heldHostLogs) {
            held = new ArrayList<>(heldHostLogs);
            heldHostLogs.clear();
        }
        for (JsonObject params : held) {
            String level = params.get("level").getAsString();
            if (LogLevel.valueOf(level.toUpperCase(Locale.ROOT)).compareTo(clientLogLevel) >= 0) {
                notifyClient("notifications/message", params);
            }
        }
    }

    void notifyClient(String method, JsonObject params) {
        JsonObject notification = new JsonObject();
        notification.addProperty("jsonrpc", "2.0");
        notification.addProperty("method", method);
        if (params != null) {
            notification.add("params", params);
        }
        send(notification);
    }

    private void send(JsonObject message) {
        if (message != null && !closed) {
            sink.send(Json.write(message));
        }
    }

    SessionSettings settings() {
        return settings;
    }

    ToolCatalog catalog() {
        return catalog;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    LogLevel clientLogLevel() {
        return clientLogLevel;
    }

    void forget(ToolCall call) {
        calls.remove(call.id(), call);
    }

    static JsonObject result(JsonElement id, JsonObject result) {
        JsonObject response = new JsonObject();
        response.addProperty("jsonrpc", "2.0");
        response.add("id", id);
        response.add("result", result);
        return response;
    }

    static JsonObject error(JsonElement id, int code, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("code", code);
        error.addProperty("message", message);
        JsonObject response = new JsonObject();
        response.addProperty("jsonrpc", "2.0");
        response.add("id", id);
        response.add("error", error);
        return response;
    }

    private static String optString(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value != null && isString(value) ? value.getAsString() : null;
    }

    private static boolean isString(JsonElement value) {
        return value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
    }

    /** Collects the answers to one batch and sends them as one array once all are in. */
    private final class BatchReply {
        private final AtomicInteger outstanding;
        private final List<JsonObject> responses = new ArrayList<>();

        BatchReply(int size) {
            outstanding = new AtomicInteger(size);
        }

        void add(JsonObject response) {
            synchronized (responses) {
                if (response != null) {
                    responses.add(response);
                }
            }
            if (outstanding.decrementAndGet() == 0) {
                JsonArray array = new JsonArray();
                synchronized (responses) {
                    responses.forEach(array::add);
                }
                if (!array.isEmpty() && !closed) {
                    sink.send(Json.write(array));
                }
            }
        }
    }
}
