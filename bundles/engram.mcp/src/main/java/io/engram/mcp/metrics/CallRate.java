package io.engram.mcp.metrics;

import java.util.Arrays;

/**
 * Calls per second over the last minute, counted in one bucket per second so that memory
 * stays constant however many calls arrive.
 */
final class CallRate {

    private static final int SECONDS = 60;

    private final long[] bucketSecond = new long[SECONDS];
    private final long[] bucketCount = new long[SECONDS];

    CallRate() {
        // an unused bucket belongs to no second of any window
        Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    synchronized void add(long nowSecond) {
        int bucket = (int) Math.floorMod(nowSecond, (long) SECONDS);
        if (bucketSecond[bucket] != nowSecond) {
            bucketSecond[bucket] = nowSecond;
            bucketCount[bucket] = 0;
        }
        bucketCount[bucket]++;
    }

    /** Calls in the 60 seconds up to and including {@code nowSecond}, divided by 60. */
    synchronized double perSecond(long nowSecond) {
        long calls = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (bucketSecond[i] > nowSecond - SECONDS && bucketSecond[i] <= nowSecond) {
                calls += bucketCount[i];
            }
        }
        return calls / (double) SECONDS;
    }
}
