package io.engram.text.index;

/**
 * A field's length in terms, kept in one byte per posting so that scoring never reads the
 * document: exact up to 24, then in steps of 5% (up to about two million terms).
 */
final class Norms {

    private static final int EXACT = 24;
    private static final double STEP = Math.log(1.05);
    private static final float[] LENGTHS = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            LENGTHS[i] = i <= EXACT ? i : (float) (EXACT * Math.exp((i - EXACT) * STEP));
        }
    }

    private Norms() {
    }

    static int encode(int length) {
        if (length <= EXACT) {
            return length;
        }
        return (int) Math.min(255, EXACT + Math.round(Math.log((double) length / EXACT) / STEP));
    }

    static float decode(int norm) {
        return LENGTHS[norm & 0xFF];
    }
}
