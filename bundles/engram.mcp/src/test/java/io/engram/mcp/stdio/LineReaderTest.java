package io.engram.mcp.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    /** Records what the reader hands on. */
    private static final class Recorder implements LineReader.Handler {
        final List<String> events = new ArrayList<>();

        @Override
        public void onLine(String line) {
            events.add(line);
        }

        @Override
        public void onOversized(long limitBytes) {
            events.add("oversized over " + limitBytes);
        }
    }

    /** {@code length} bytes of 'a' without a line break, made on the fly. */
    private static InputStream endlessLine(long length) {
        return new InputStream() {
            private long left = length;

            @Override
            public int read() {
                return left-- > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(count, left);
                Arrays.fill(buffer, offset, offset + n, (byte) 'a');
                left -= n;
                return n;
            }
        };
    }

    private static InputStream text(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> read(InputStream in, int limit) throws IOException {
        Recorder recorder = new Recorder();
        new LineReader(in, limit).readAll(recorder);
        return recorder.events;
    }

    @Test
    void linesEndAtNewlineWithCarriageReturnsStrippedAndBlankLinesSkipped() throws IOException {
        assertEquals(List.of("{\"a\":1}", "{\"b\":\"é\"}", "last without newline"),
                read(text("{\"a\":1}\r\n\n\r\n   \n{\"b\":\"é\"}\nlast without newline"), 1024));
    }

    @Test
    void endOfStreamEndsReading() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals(List.of(), read(text(""), 1024)));
    }

    @Test
    void aLineOverTheLimitIsSkippedAndTheNextOneServed() throws IOException {
        assertEquals(List.of("ok", "oversized over 10", "next"), read(text("ok\n12345678901\nnext\n"), 10));
        assertEquals(List.of("1234567890"), read(text("1234567890\n"), 10), "exactly the limit is fine");
    }

    @Test
    void aLineLargerThanAnyJavaArrayIsSkippedWithoutBufferingIt() throws IOException {
        // 2.2 GB cannot be held in one byte[] or String at all: passing proves it is never buffered whole
        long huge = Integer.MAX_VALUE + 100_000_000L;
        InputStream in = new SequenceInputStream(new SequenceInputStream(text("first\n"), endlessLine(huge)),
                text("\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n"));
        assertEquals(List.of("first", "oversized over 16777216", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"),
                read(in, 16 * 1024 * 1024));
    }
}
