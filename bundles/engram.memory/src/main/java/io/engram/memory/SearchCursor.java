package io.engram.memory;

import io.engram.api.tool.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The opaque {@code cursor} of {@code memory_search}: the {@link SearchPosition} of the last hit of a page,
 * with a fingerprint of the search (text and filters, not the limit), so a cursor given to another search
 * is refused rather than silently resuming a different ranking.
 */
final class SearchCursor {

    private static final String KIND = "memory_search";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private SearchCursor() {
    }

    /** The cursor that continues {@code query} after {@code last}. */
    static String after(SearchQuery query, SearchHit last) {
        SearchPosition position = SearchPosition.of(last);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(KIND);
            out.writeInt(fingerprint(query));
            out.writeDouble(position.score());
            out.writeLong(position.createdAt());
            out.writeUTF(position.id());
            out.writeLong(position.indexDoc());
        } catch (IOException e) {
            throw new IllegalStateException(e); // not on a byte array
        }
        return ENCODER.encodeToString(bytes.toByteArray());
    }

    /**
     * Where {@code cursor} continues {@code query}; null for no cursor.
     *
     * @throws InvalidArgumentException naming {@code cursor} when it is not one this search returned
     */
    static SearchPosition read(SearchQuery query, String cursor) {
        if (cursor == null) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw notOurs();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (!in.readUTF().equals(KIND) || in.readInt() != fingerprint(query)) {
                throw new InvalidArgumentException("cursor", "belongs to another tool or to a search with other q or"
                        + " filters; pass the nextCursor of the previous answer with the same arguments, or leave it"
                        + " out to start over");
            }
            SearchPosition position = new SearchPosition(in.readDouble(), in.readLong(), in.readUTF(), in.readLong());
            if (in.available() > 0) {
                throw new IOException("trailing bytes");
            }
            return position;
        } catch (IOException e) {
            throw notOurs();
        }
    }

    private static InvalidArgumentException notOurs() {
        return new InvalidArgumentException("cursor", "is not a cursor memory_search returned; pass nextCursor as"
                + " received, or leave it out to start over");
    }

    // String.hashCode is specified, so a cursor stays valid across restarts
    private static int fingerprint(SearchQuery query) {
        return Objects.hash(query.text() == null ? "" : query.text().strip(),
                query.layer() == null ? null : query.layer().name(), query.sessionId(), query.episodeId(),
                query.from(), query.to(),
                query.namespaces() == null ? null : String.join("\n", new TreeSet<>(query.namespaces())),
                query.tags().isEmpty() ? null : String.join("\n", new TreeSet<>(query.tags())),
                query.mode() == null ? null : query.mode().name());
    }
}
