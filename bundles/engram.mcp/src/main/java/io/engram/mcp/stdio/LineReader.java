package io.engram.mcp.stdio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Frames an input stream into lines at {@code '\n'} (UTF-8, a trailing {@code '\r'} stripped,
 * blank lines skipped). A line longer than the limit is reported and skipped up to its newline
 * without ever being held whole, so no client can exhaust the heap with one message.
 */
public final class LineReader {

    /** Receives what the reader finds. */
    public interface Handler {

        /** One complete line, without its line break. */
        void onLine(String line);

        /** A line went over the limit; the rest of it up to its newline is dropped. */
        void onOversized(long limitBytes);
    }

    private static final int CHUNK_BYTES = 64 * 1024;
    /** A buffer that grew past this for one long line is dropped afterwards instead of kept. */
    private static final int KEPT_BUFFER_BYTES = 1024 * 1024;

    private final InputStream in;
    private volatile int maxLineBytes;
    private volatile boolean stopped;

    public LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    public void setMaxLineBytes(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** Makes {@link #readAll} return after its current read, handing on nothing more. */
    public void stop() {
        stopped = true;
    }

    /** Reads until the end of the stream (or {@link #stop()}); a last line without a newline still counts. */
    public void readAll(Handler handler) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean discarding = false;
        int read;
        while ((read = in.read(chunk)) != -1 && !stopped) {
            int start = 0;
            for (int i = 0; i < read; i++) {
                if (chunk[i] != '\n') {
                    continue;
                }
                if (!discarding) {
                    line.write(chunk, start, i - start);
                    if (line.size() > maxLineBytes) {
                        handler.onOversized(maxLineBytes);
                    } else {
                        emit(line, handler);
                    }
                }
                discarding = false;
                line = reuse(line);
                start = i + 1;
            }
            if (!discarding && start < read) {
                int rest = read - start;
                if (line.size() + rest > maxLineBytes) {
                    discarding = true;
                    line = reuse(line);
                    handler.onOversized(maxLineBytes);
                } else {
                    line.write(chunk, start, rest);
                }
            }
        }
        if (!discarding && !stopped && line.size() > 0) {
            emit(line, handler);
        }
    }

    private static void emit(ByteArrayOutputStream line, Handler handler) {
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (!text.isBlank()) {
            handler.onLine(text);
        }
    }

    private static ByteArrayOutputStream reuse(ByteArrayOutputStream line) {
        if (line.size() > KEPT_BUFFER_BYTES) {
            return new ByteArrayOutputStream();
        }
        line.reset();
        return line;
    }
}
