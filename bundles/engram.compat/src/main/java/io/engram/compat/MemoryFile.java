package io.engram.compat;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.compat.ReferenceGraph.Entity;
import io.engram.compat.ReferenceGraph.ImportCounts;
import io.engram.compat.ReferenceGraph.Relation;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.Relations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference server's memory file: one JSON object per line, {@code {"type":"entity","name",
 * "entityType","observations"}} or {@code {"type":"relation","from","to","relationType"}}. Its
 * older memory.json holds the same lines; a file that is instead one JSON object with
 * {@code entities} and {@code relations} arrays is read too. A record that cannot be read is
 * reported with its line (or array position) and the rest are imported.
 */
final class MemoryFile {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    /** Records merged per write transaction. */
    static final int BATCH = 500;
    /** Problems listed in an import answer; errorCount counts them all. */
    static final int MAX_LISTED_ERRORS = 50;

    private MemoryFile() {
    }

    /** An absolute path from a tool argument. */
    static Path path(String text) {
        Path path;
        try {
            path = Path.of(text.trim());
        } catch (RuntimeException e) {
            throw new InvalidArgumentException("path", "is not a file path: " + e.getMessage());
        }
        if (!path.isAbsolute()) {
            throw new InvalidArgumentException("path", "must be absolute (the host's working directory is not"
                    + " the IDE's), e.g. /home/ana/.memory/memory.jsonl");
        }
        return path.normalize();
    }

    /** The answer of an import: counts and the records that could not be read. */
    static Map<String, Object> importFile(ReferenceGraph graph, String ns, Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<Map<String, Object>> errors = new ArrayList<>();
        int[] problems = {0};
        Batch batch = new Batch();
        int[] totals = new int[4];
        Reader reader = (where, element) -> {
            try {
                batch.add(record(element));
            } catch (IllegalArgumentException | IllegalStateException | JsonParseException e) {
                problems[0]++;
                if (errors.size() < MAX_LISTED_ERRORS) {
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("line", where);
                    error.put("message", e.getMessage());
                    errors.add(error);
                }
            }
            if (batch.size() >= BATCH) {
                batch.flush(graph, ns, totals);
            }
        };
        String format = wholeObject(text, reader) ? "json" : "jsonl";
        if (format.equals("jsonl")) {
            String[] lines = text.split("\r?\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                JsonElement element;
                try {
                    element = JsonParser.parseString(lines[i]);
                } catch (JsonParseException e) {
                    reader.read(String.valueOf(i + 1), null);
                    continue;
                }
                reader.read(String.valueOf(i + 1), element);
            }
        }
        batch.flush(graph, ns, totals);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("path", file.toString());
        answer.put("namespace", ns);
        answer.put("format", format);
        answer.put("records", (long) totals[3]);
        answer.put("entitiesCreated", (long) totals[0]);
        answer.put("observationsAdded", (long) totals[1]);
        answer.put("relationsCreated", (long) totals[2]);
        answer.put("errorCount", (long) problems[0]);
        answer.put("errors", errors);
        return answer;
    }

    private interface Reader {
        /** {@code element} null: the line is not JSON. */
        void read(String where, JsonElement element);
    }

    /** Reads a file that is one JSON object of arrays; false when it is not one (then it is read as lines). */
    private static boolean wholeObject(String text, Reader reader) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{")) {
            return false;
        }
        JsonObject whole;
        try {
            JsonElement parsed = JsonParser.parseString(trimmed);
            if (!parsed.isJsonObject() || !(parsed.getAsJsonObject().has("entities")
                    || parsed.getAsJsonObject().has("relations")) || parsed.getAsJsonObject().has("type")) {
                return false;
            }
            whole = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            return false;
        }
        for (String kind : List.of("entities", "relations")) {
            JsonElement items = whole.get(kind);
            if (items != null && items.isJsonArray()) {
                JsonArray array = items.getAsJsonArray();
                for (int i = 0; i < array.size(); i++) {
                    JsonElement item = array.get(i);
                    if (item.isJsonObject() && !item.getAsJsonObject().has("type")) {
                        item.getAsJsonObject().addProperty("type", kind.equals("entities") ? "entity" : "relation");
                    }
                    reader.read(kind + "[" + i + "]", item);
                }
            }
        }
        return true;
    }

    /** An Entity or Relation from one record; IllegalArgumentException says what is wrong with it. */
    private static Object record(JsonElement element) {
        if (element == null) {
            throw new IllegalArgumentException("not JSON");
        }
        if (!element.isJsonObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        JsonObject object = element.getAsJsonObject();
        String type = string(object, "type");
        switch (type) {
            case "entity" -> {
                String name = string(object, "name");
                NodeKey.entity(name); // refuses what the graph cannot store, naming why
                JsonElement observations = object.get("observations");
                List<String> texts = new ArrayList<>();
                if (observations != null && !observations.isJsonNull()) {
                    if (!observations.isJsonArray()) {
                        throw new IllegalArgumentException("observations: expected an array of strings");
                    }
                    for (JsonElement each : observations.getAsJsonArray()) {
                        if (!each.isJsonPrimitive() || !each.getAsJsonPrimitive().isString()) {
                            throw new IllegalArgumentException("observations: expected an array of strings");
                        }
                        texts.add(each.getAsString());
                    }
                }
                return new Entity(name, string(object, "entityType"), texts);
            }
            case "relation" -> {
                String from = string(object, "from");
                String to = string(object, "to");
                String relationType = string(object, "relationType");
                NodeKey.entity(from);
                NodeKey.entity(to);
                if (relationType.isBlank()) {
                    throw new IllegalArgumentException("relationType must not be empty");
                }
                Relations.normalize(relationType);
                return new Relation(from, to, relationType);
            }
            default -> throw new IllegalArgumentException("type must be \"entity\" or \"relation\", got \""
                    + type + "\"");
        }
    }

    private static String string(JsonObject object, String name) {
        JsonElement value = object.get(name);
        if (value == null || value.isJsonNull()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(name + ": expected a string");
        }
        return value.getAsString();
    }

    /** Records waiting for their transaction. */
    private static final class Batch {
        private final List<Entity> entities = new ArrayList<>();
        private final List<Relation> relations = new ArrayList<>();

        void add(Object record) {
            if (record instanceof Entity entity) {
                entities.add(entity);
            } else {
                relations.add((Relation) record);
            }
        }

        int size() {
            return entities.size() + relations.size();
        }

        /** Merges the batch, adding to {@code totals}: entities, observations and relations created, records. */
        void flush(ReferenceGraph graph, String ns, int[] totals) {
            if (size() == 0) {
                return;
            }
            ImportCounts counts = graph.merge(ns, entities, relations);
            totals[0] += counts.entitiesCreated();
            totals[1] += counts.observationsAdded();
            totals[2] += counts.relationsCreated();
            totals[3] += size();
            entities.clear();
            relations.clear();
        }
    }

    /** Writes the namespace's graph in the reference's format, replacing the file whole (temp file, then rename). */
    static Map<String, Object> exportFile(ReferenceGraph graph, String ns, Path file) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        int[] counts;
        try {
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                boolean[] first = {true};
                counts = graph.export(ns, item -> {
                    Map<String, Object> line = new LinkedHashMap<>();
                    if (item instanceof Entity entity) {
                        line.put("type", "entity");
                        line.putAll(entity.toMap());
                    } else {
                        line.put("type", "relation");
                        line.putAll(((Relation) item).toMap());
                    }
                    try {
                        // lines joined by \n without a trailing one, as the reference writes them
                        out.write((first[0] ? "" : "\n") + GSON.toJson(line));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    first[0] = false;
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("path", file.toString());
        answer.put("namespace", ns);
        answer.put("entities", (long) counts[0]);
        answer.put("relations", (long) counts[1]);
        return answer;
    }
}
