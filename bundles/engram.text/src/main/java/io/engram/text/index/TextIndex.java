package io.engram.text.index;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.WriteTxn;
import io.engram.text.TextAnalyzer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A full-text index kept in the store next to the data it indexes and changed in the caller's own
 * write transactions, so it is never behind the data, whichever process wrote it and however it
 * stopped. Ranks with BM25F over the index's fields; see docs/SEARCH.md for the layout and the walk.
 *
 * <p>Keyspaces {@code text.<name>.meta} (which generation is active, which is being built) and, per
 * generation g, {@code text.<name>.<g>.post} (postings, {@link PostingBlock}), {@code .terms} (document
 * frequency per partition and term), {@code .docs} (a {@link DocRecord} per document number),
 * {@code .ids} (document number by id), {@code .recent} (newest first per partition) and
 * {@code .stats} (documents and field lengths per partition).
 *
 * <p>A rebuild ({@link #startBuild}, {@link #buildBatch}, {@link #finishBuild}) fills a new generation
 * while writes go on: from the moment it starts every {@link #put} and {@link #remove} also changes the
 * new generation, and the builder adds only documents that are not there yet; the new generation
 * becomes the active one in one transaction, and the old one is then deleted in batches ({@link #dropOld}).
 */
public final class TextIndex {

    /** Matches counted exactly before a search stops counting and says "at least". */
    public static final int EXACT_TOTAL_UP_TO = 1000;
    /** Most fields an index has. */
    public static final int MAX_FIELDS = 6;
    /** Most bytes of a partition name. */
    public static final int MAX_PARTITION_BYTES = 150;

    /** Keywords longer than this (UTF-8 bytes) are stored as their start and a hash. */
    static final int MAX_KEYWORD_BYTES = 300;

    static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,20}");
    private static final char KEYWORD_MARK = '\u0001';

    private static final byte[] ACTIVE = Bytes.utf8("active");
    private static final byte[] BUILDING = Bytes.utf8("building");

    private final String name;
    private final TextAnalyzer analyzer;
    private final List<String> fields;
    private final String meta;

    private TextIndex(String name, TextAnalyzer analyzer, List<String> fields) {
        this.name = name;
        this.analyzer = analyzer;
        this.fields = fields;
        this.meta = "text." + name + ".meta";
    }

    /**
     * The index called {@code name} (lower-case letters, digits, '_') with these fields, analyzed by
     * {@code analyzer}.
     */
    public static TextIndex of(String name, TextAnalyzer analyzer, List<String> fields) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("index name must match " + NAME + ", got " + name);
        }
        if (fields.isEmpty() || fields.size() > MAX_FIELDS) {
            throw new IllegalArgumentException("an index has 1 to " + MAX_FIELDS + " fields, got " + fields.size());
        }
        return new TextIndex(name, Objects.requireNonNull(analyzer, "analyzer"), List.copyOf(fields));
    }

    public List<String> fields() {
        return fields;
    }

    TextAnalyzer analyzer() {
        return analyzer;
    }

    // ---- writing

    /** Analyzes {@code document}: call it before the write transaction, never inside. */
    public PreparedDocument prepare(IndexDocument document) {
        if (document.partition().isEmpty() || document.partition().indexOf('\0') >= 0
                || Bytes.utf8(document.partition()).length > MAX_PARTITION_BYTES) {
            throw new IllegalArgumentException("partition must be 1 to " + MAX_PARTITION_BYTES
                    + " UTF-8 bytes without NUL, got '" + document.partition() + "'");
        }
        int idBytes = Bytes.utf8(document.id()).length;
        if (idBytes == 0 || idBytes > 200) {
            throw new IllegalArgumentException("id must be 1 to 200 UTF-8 bytes, got " + idBytes);
        }
        return PreparedDocument.of(document, analyzer, fields.size());
    }

    /**
     * Stores {@code document}, replacing what the index had under its id, in every generation being
     * written; returns false when none is (nothing active or being built: the document is not stored).
     */
    public boolean put(WriteTxn txn, PreparedDocument document) {
        if (!document.analyzerId.equals(analyzer.id())) {
            throw new IllegalArgumentException("prepared by another analyzer: " + document.analyzerId);
        }
        List<Integer> generations = writtenGenerations(txn);
        for (int generation : generations) {
            generation(generation).put(txn, document);
        }
        return !generations.isEmpty();
    }

    /** Removes the document {@code id} from every generation being written. */
    public void remove(WriteTxn txn, String id) {
        for (int generation : writtenGenerations(txn)) {
            generation(generation).remove(txn, id);
        }
    }

    // ---- reading

    /** Whether searches can use the index: a generation built by this analyzer is active. */
    public boolean isReady(ReadTxn txn) {
        return searchedGeneration(txn) != null;
    }

    /**
     * Runs {@code query}; null when the index cannot answer yet (nothing built by this analyzer is
     * active: the caller must find its answer another way until a build finishes).
     */
    public TextResult search(ReadTxn txn, TextQuery query) {
        Generation generation = searchedGeneration(txn);
        return generation == null ? null : new Search(generation, txn, query).run();
    }

    /**
     * How many documents of {@code partitions} (null: all) carry {@code keyword} and have not expired at
     * {@code now}, counted exactly from the keyword's postings; null when the index cannot answer.
     */
    public Long count(ReadTxn txn, java.util.Set<String> partitions, String keyword, long now) {
        Generation generation = searchedGeneration(txn);
        if (generation == null) {
            return null;
        }
        List<String> searched = partitions != null ? List.copyOf(partitions) : generation.partitions(txn);
        long count = 0;
        for (String partition : searched) {
            for (long doc : generation.pendingDocs(txn, partition)) {
                DocRecord record = generation.record(txn, doc);
                if (record != null && !record.isExpiredAt(now) && record.keywords().contains(keyword)) {
                    count++;
                }
            }
            byte[] prefix = Generation.postingPrefix(Generation.termKey(partition, keywordTerm(keyword)));
            PostingCursor postings = new PostingCursor(txn, generation.post, prefix);
            for (long doc = postings.doc(); doc != PostingCursor.END; doc = postings.next()) {
                if ((postings.flags() & PostingBlock.EXPIRES) == 0) {
                    count++;
                } else {
                    DocRecord record = generation.record(txn, doc);
                    if (record != null && !record.isExpiredAt(now)) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** Documents in the active generation (0 when none is active). */
    public long documents(ReadTxn txn) {
        Generation generation = searchedGeneration(txn);
        return generation == null ? 0 : txn.count(generation.docs);
    }

    // ---- building

    /** What the index's generations are doing. */
    public record State(Integer active, boolean activeUsable, Integer building) {
        /** Nothing to build: the active generation is this analyzer's and no build is under way. */
        public boolean ready() {
            return active != null && activeUsable && building == null;
        }
    }

    public State state(ReadTxn txn) {
        Integer active = readInt(txn, ACTIVE);
        return new State(active, active != null && analyzer.id().equals(analyzerOf(txn, active)),
                readInt(txn, BUILDING));
    }

    /**
     * Makes an empty generation active at once, when the caller knows there is nothing to index
     * (checked in the same transaction). Does nothing when one is active or being built.
     */
    public void activateEmpty(WriteTxn txn) {
        if (readInt(txn, ACTIVE) == null && readInt(txn, BUILDING) == null) {
            int generation = newGeneration(txn);
            writeInt(txn, ACTIVE, generation);
        }
    }

    /**
     * Starts building a new generation, or joins the one under way; returns its number. From this
     * transaction on, every put and remove also changes it.
     */
    public int startBuild(WriteTxn txn) {
        Integer building = readInt(txn, BUILDING);
        if (building != null) {
            return building;
        }
        int generation = newGeneration(txn);
        writeInt(txn, BUILDING, generation);
        return generation;
    }

    /**
     * Adds each of {@code documents} to the generation being built unless it is there already (a
     * write since the build started put it there, newer than what the builder read). The caller must
     * pass only documents whose data is unchanged in this transaction. Returns how many were added;
     * 0 when no build is under way.
     */
    public int buildBatch(WriteTxn txn, List<PreparedDocument> documents) {
        Integer building = readInt(txn, BUILDING);
        if (building == null) {
            return 0;
        }
        Generation generation = generation(building);
        int added = 0;
        for (PreparedDocument document : documents) {
            if (txn.get(generation.ids, Bytes.utf8(document.id)) == null) {
                generation.put(txn, document);
                added++;
            }
        }
        return added;
    }

    /**
     * Makes the generation being built the active one; the one it replaces is marked to be dropped.
     * Returns false when no build was under way (another process finished it).
     */
    public boolean finishBuild(WriteTxn txn) {
        Integer building = readInt(txn, BUILDING);
        if (building == null) {
            return false;
        }
        Integer active = readInt(txn, ACTIVE);
        if (active != null) {
            txn.put(meta, dropKey(active), new byte[0]);
        }
        writeInt(txn, ACTIVE, building);
        txn.delete(meta, BUILDING);
        return true;
    }

    /**
     * Deletes up to {@code maxKeys} keys of generations replaced by a build; returns true once
     * nothing is left to drop.
     */
    public boolean dropOld(WriteTxn txn, int maxKeys) {
        List<Integer> dropped = new ArrayList<>();
        txn.scanPrefix(meta, Bytes.utf8("drop/"), (key, value) -> {
            dropped.add(Integer.parseInt(new String(key, StandardCharsets.UTF_8).substring(5)));
            return true;
        });
        int budget = maxKeys;
        for (int number : dropped) {
            Generation generation = generation(number);
            for (String keyspace : generation.keyspaces()) {
                List<byte[]> keys = new ArrayList<>();
                int wanted = budget;
                txn.scan(keyspace, null, (key, value) -> {
                    keys.add(key);
                    return keys.size() < wanted;
                });
                for (byte[] key : keys) {
                    txn.delete(keyspace, key);
                }
                budget -= keys.size();
                if (budget <= 0) {
                    return false;
                }
            }
            txn.delete(meta, dropKey(number));
            txn.delete(meta, Bytes.utf8("analyzer/" + number));
            txn.delete(meta, Bytes.utf8("next/" + number));
        }
        return true;
    }

    // ---- generations

    private Generation searchedGeneration(ReadTxn txn) {
        Integer active = readInt(txn, ACTIVE);
        if (active == null || !analyzer.id().equals(analyzerOf(txn, active))) {
            return null;
        }
        return generation(active);
    }

    /** The active generation when it is this analyzer's, and the one being built. */
    private List<Integer> writtenGenerations(ReadTxn txn) {
        List<Integer> generations = new ArrayList<>(2);
        Integer active = readInt(txn, ACTIVE);
        if (active != null && analyzer.id().equals(analyzerOf(txn, active))) {
            generations.add(active);
        }
        Integer building = readInt(txn, BUILDING);
        if (building != null) {
            generations.add(building);
        }
        return generations;
    }

    private int newGeneration(WriteTxn txn) {
        Integer last = readInt(txn, Bytes.utf8("last"));
        int generation = last == null ? 1 : last + 1;
        writeInt(txn, Bytes.utf8("last"), generation);
        txn.put(meta, Bytes.utf8("analyzer/" + generation), Bytes.utf8(analyzer.id()));
        return generation;
    }

    private String analyzerOf(ReadTxn txn, int generation) {
        byte[] id = txn.get(meta, Bytes.utf8("analyzer/" + generation));
        return id == null ? null : new String(id, StandardCharsets.UTF_8);
    }

    Generation generation(int number) {
        return new Generation(this, number);
    }

    String meta() {
        return meta;
    }

    String keyspace(int generation, String part) {
        return "text." + name + "." + generation + "." + part;
    }

    private static byte[] dropKey(int generation) {
        return Bytes.utf8("drop/" + generation);
    }

    private Integer readInt(ReadTxn txn, byte[] key) {
        byte[] value = txn.get(meta, key);
        return value == null ? null : new Bytes.Reader(value).varint();
    }

    private void writeInt(WriteTxn txn, byte[] key, int value) {
        txn.put(meta, key, new Bytes(5).varint(value).toArray());
    }

    // ---- terms

    /** Whether the index can store {@code term} (analyzers never make the others). */
    static boolean isStorableTerm(String term) {
        return !term.isEmpty() && term.indexOf('\0') < 0 && term.charAt(0) != KEYWORD_MARK
                && term.length() <= TextAnalyzer.MAX_TERM_LENGTH;
    }

    /** The posting-list name of a keyword: never the same as a term's. */
    static String keywordTerm(String keyword) {
        if (Bytes.utf8(keyword).length <= MAX_KEYWORD_BYTES) {
            return KEYWORD_MARK + keyword;
        }
        // too long for a key: its start and a 64-bit FNV-1a hash of the whole stand for it
        long hash = 0xcbf29ce484222325L;
        for (byte b : Bytes.utf8(keyword)) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return KEYWORD_MARK + keyword.substring(0, 100) + '#' + Long.toHexString(hash);
    }
}
