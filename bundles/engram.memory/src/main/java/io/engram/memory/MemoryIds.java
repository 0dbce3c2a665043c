package io.engram.memory;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Memory ids: {@code mem_} + 10 characters of creation time in milliseconds + 16 random
 * characters (80 bits), in Crockford base32. The alphabet is in ASCII order, so ids sort by
 * creation time; the random part keeps ids of concurrent processes apart.
 */
final class MemoryIds {

    static final String PREFIX = "mem_";

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int TIME_CHARS = 10;
    private static final int RANDOM_CHARS = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private MemoryIds() {
    }

    static String next(long epochMillis) {
        char[] id = new char[TIME_CHARS + RANDOM_CHARS];
        long time = epochMillis;
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits: 64 in low, 16 in high
        long low = RANDOM.nextLong();
        long high = RANDOM.nextInt(1 << 16);
        for (int i = id.length - 1; i >= TIME_CHARS; i--) {
            id[i] = ALPHABET[(int) (low & 31)];
            low = (low >>> 5) | ((high & 31) << 59);
            high >>>= 5;
        }
        return PREFIX + new String(id);
    }

    /** Whether {@code id} has the shape of a memory id (anything else cannot name a memory). */
    static boolean isWellFormed(String id) {
        if (id == null || id.length() != PREFIX.length() + TIME_CHARS + RANDOM_CHARS || !id.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < id.length(); i++) {
            if (Arrays.binarySearch(ALPHABET, id.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
