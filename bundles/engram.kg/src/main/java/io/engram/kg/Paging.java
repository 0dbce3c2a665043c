package io.engram.kg;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.engram.api.store.ReadTxn;
import io.engram.api.tool.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One page of a walk over one or more index ranges (a {@link Source} each: one per namespace,
 * or per node type), merged in a given order, cut at a number of items or a character budget,
 * whichever comes first. The cursor holds, for each source, the last key taken from it, so the
 * next page resumes each range exactly where it stopped, whatever was written in between.
 */
final class Paging {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /**
     * A range of one keyspace: the keys starting with {@code prefix} that pass {@code filter}.
     * {@code next} gives where to continue after a key taken; {@link GraphKeys#successor} visits
     * every key, a skip (as {@link GraphKeys#afterGroup}) leaves out the rest of a group.
     */
    record Source(String keyspace, byte[] prefix, Predicate<byte[]> filter, UnaryOperator<byte[]> next) {

        Source(String keyspace, byte[] prefix) {
            this(keyspace, prefix, key -> true, GraphKeys::successor);
        }
    }

    /** A key found in source number {@code source}. */
    record Hit(int source, byte[] key, byte[] value) {
    }

    /** The items of one page; {@code nextCursor} is null when nothing remains. */
    record Page(List<Object> items, String nextCursor, boolean truncated) {
    }

    /** Source by source: all of the first, then the second, ... */
    static final Comparator<Hit> SOURCE_ORDER = Comparator.comparingInt(Hit::source)
            .thenComparing(Hit::key, Arrays::compareUnsigned);

    /** Merged on the key bytes after each source's prefix (for example the count index), ties by source. */
    static Comparator<Hit> suffixOrder(List<Source> sources) {
        return (a, b) -> {
            byte[] ka = a.key();
            byte[] kb = b.key();
            int pa = sources.get(a.source()).prefix().length;
            int pb = sources.get(b.source()).prefix().length;
            int bySuffix = Arrays.compareUnsigned(ka, pa, ka.length, kb, pb, kb.length);
            return bySuffix != 0 ? bySuffix : Integer.compare(a.source(), b.source());
        };
    }

    private Paging() {
    }

    /**
     * The page after {@code cursor} (null for the first). {@code render} turns a hit into the item
     * returned (null to leave it out); an item counts against {@code budgetChars} by the length of
     * its JSON, and the first item of a page is always taken, so paging always moves on.
     *
     * @param kind names the walk, so a cursor from another tool or call shape is refused
     */
    static Page page(ReadTxn txn, String kind, List<Source> sources, Comparator<Hit> order, String cursor, int limit,
            int budgetChars, Function<Hit, Object> render) {
        byte[][] resume = decode(kind, sources.size(), cursor);
        List<Hit> candidates = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            byte[] start = resume[i] == null ? source.prefix() : source.next().apply(resume[i]);
            collect(txn, i, source, start, limit + 1, candidates);
        }
        candidates.sort(order);
        List<Object> items = new ArrayList<>();
        byte[][] last = resume.clone();
        int taken = 0;
        int used = 0;
        boolean truncated = false;
        for (Hit hit : candidates) {
            if (taken == limit) {
                break;
            }
            Object item = render.apply(hit);
            if (item != null) {
                int size = chars(item) + 1;
                if (taken > 0 && used + size > budgetChars) {
                    truncated = true;
                    break;
                }
                items.add(item);
                used += size;
            }
            last[hit.source()] = hit.key();
            taken++;
        }
        String next = taken < candidates.size() ? encode(kind, last) : null;
        return new Page(items, next, truncated);
    }

    /** The length of {@code value} as JSON: what it costs in an answer. */
    static int chars(Object value) {
        return GSON.toJson(value).length();
    }

    private static void collect(ReadTxn txn, int index, Source source, byte[] start, int max, List<Hit> into) {
        int[] found = {0};
        byte[][] restart = {start};
        while (restart[0] != null && found[0] < max) {
            byte[] from = restart[0];
            restart[0] = null;
            txn.scan(source.keyspace(), from, (key, value) -> {
                if (!GraphKeys.startsWith(key, source.prefix())) {
                    return false;
                }
                if (!source.filter().test(key)) {
                    return true;
                }
                into.add(new Hit(index, key, value));
                found[0]++;
                byte[] next = source.next().apply(key);
                if (!Arrays.equals(next, GraphKeys.successor(key))) {
                    restart[0] = next; // skip ahead: scan again from there
                    return false;
                }
                return found[0] < max;
            });
        }
    }

    private static String encode(String kind, byte[][] keys) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(kind);
            out.writeShort(keys.length);
            for (byte[] key : keys) {
                out.writeShort(key == null ? -1 : key.length);
                if (key != null) {
                    out.write(key);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // not on a byte array
        }
        return ENCODER.encodeToString(bytes.toByteArray());
    }

    private static byte[][] decode(String kind, int sources, String cursor) {
        byte[][] keys = new byte[sources][];
        if (cursor == null) {
            return keys;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(cursor)))) {
            if (!in.readUTF().equals(kind) || in.readShort() != sources) {
                throw new InvalidArgumentException("cursor", "belongs to another tool or to a call with other arguments;"
                        + " pass the nextCursor of the previous page with the same arguments, or leave it out to start over");
            }
            for (int i = 0; i < sources; i++) {
                int length = in.readShort();
                keys[i] = length < 0 ? null : in.readNBytes(length);
                if (keys[i] != null && keys[i].length != length) {
                    throw new IOException("cut short");
                }
            }
            if (in.available() > 0) {
                throw new IOException("trailing bytes");
            }
            return keys;
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidArgumentException("cursor", "is not a cursor this tool returned; pass nextCursor as"
                    + " received, or leave it out to start over");
        }
    }
}
