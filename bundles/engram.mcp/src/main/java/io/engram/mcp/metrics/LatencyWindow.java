package io.engram.mcp.metrics;

import java.util.Arrays;

/**
 * The durations of the most recent calls, a fixed number of them, for percentiles. Recording
 * is one array store under a short lock; the sorting cost is paid by the reader.
 */
final class LatencyWindow {

    private final long[] nanos;
    private int next;
    private int size;

    LatencyWindow(int capacity) {
        nanos = new long[capacity];
    }

    synchronized void add(long elapsedNanos) {
        nanos[next] = elapsedNanos;
        next = (next + 1) % nanos.length;
        size = Math.min(size + 1, nanos.length);
    }

    /** The recorded durations, sorted ascending. */
    long[] sorted() {
        long[] copy;
        synchronized (this) {
            copy = Arrays.copyOf(nanos, size);
        }
        Arrays.sort(copy);
        return copy;
    }

    /** The nearest-rank percentile ({@code fraction} in (0, 1]) of sorted durations, 0 when there are none. */
    static long percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
