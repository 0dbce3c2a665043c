package io.engram.semantic;

import java.nio.ByteBuffer;

/**
 * Stored vectors: a unit vector quantized to one signed byte per dimension with one float scale,
 * {@code [scale: float32 big-endian][d0 .. dn-1: int8]}, 388 bytes for 384 dimensions instead of 1,536 as
 * float32. The cosine of a query (a float unit vector) and a stored vector is their dot product, computed
 * without decoding the stored one. docs/SEMANTIC.md gives the ranking impact measured against float32.
 */
final class Vectors {

    private static final int SCALE_BYTES = Float.BYTES;

    private Vectors() {
    }

    /** The stored form of {@code vector}, normalized to unit length first. */
    static byte[] encode(float[] vector) {
        float[] unit = normalized(vector);
        float max = 0;
        for (float value : unit) {
            max = Math.max(max, Math.abs(value));
        }
        float scale = max == 0 ? 0 : max / 127f;
        ByteBuffer out = ByteBuffer.allocate(SCALE_BYTES + unit.length);
        out.putFloat(scale);
        for (float value : unit) {
            out.put(scale == 0 ? 0 : (byte) Math.round(value / scale));
        }
        return out.array();
    }

    /** The bytes a stored vector of {@code dimensions} takes. */
    static int encodedLength(int dimensions) {
        return SCALE_BYTES + dimensions;
    }

    /** The cosine similarity of the unit vector {@code query} and the stored vector {@code stored}. */
    static double cosine(float[] query, byte[] stored) {
        float scale = scale(stored);
        // four independent sums: the CPU overlaps them (a third faster than one sum at 384 dimensions, measured)
        float a = 0;
        float b = 0;
        float c = 0;
        float d = 0;
        int i = 0;
        for (int end = query.length - 3; i < end; i += 4) {
            a += query[i] * stored[SCALE_BYTES + i];
            b += query[i + 1] * stored[SCALE_BYTES + i + 1];
            c += query[i + 2] * stored[SCALE_BYTES + i + 2];
            d += query[i + 3] * stored[SCALE_BYTES + i + 3];
        }
        for (; i < query.length; i++) {
            a += query[i] * stored[SCALE_BYTES + i];
        }
        return (double) (a + b + c + d) * scale;
    }

    /** The bytes a sign code of {@code dimensions} takes: one bit per dimension. */
    static int codeLength(int dimensions) {
        return (dimensions + 7) / 8;
    }

    /**
     * The sign code of the stored vector {@code stored}: bit {@code k} of byte {@code j} is set when dimension
     * {@code 8j + k} is positive. A search ranks codes first ({@link #estimate}), 48 bytes instead of 388 read per
     * candidate, and scores only the best candidates' vectors.
     */
    static byte[] code(byte[] stored) {
        int dimensions = stored.length - SCALE_BYTES;
        byte[] code = new byte[codeLength(dimensions)];
        for (int i = 0; i < dimensions; i++) {
            if (stored[SCALE_BYTES + i] > 0) {
                code[i >> 3] |= (byte) (1 << (i & 7));
            }
        }
        return code;
    }

    /**
     * For each byte {@code j} of a code, what every value of it adds to {@link #estimate}: the sum of the query's
     * dimensions {@code 8j + k} whose bit {@code k} is set. The query stays exact; only the stored side is one bit.
     */
    static float[][] codeTable(float[] query) {
        float[][] table = new float[codeLength(query.length)][256];
        for (int j = 0; j < table.length; j++) {
            for (int value = 1; value < 256; value++) {
                int low = Integer.numberOfTrailingZeros(value);
                int dimension = 8 * j + low;
                // the sum for value is the sum for value without its lowest bit, plus that bit's dimension
                table[j][value] = table[j][value & (value - 1)] + (dimension < query.length ? query[dimension] : 0);
            }
        }
        return table;
    }

    /**
     * How near the vector with sign code {@code code} is to the query of {@code table}: the sum of the query's
     * dimensions where the vector is positive. Its order follows the cosine's loosely (a dimension's sign, not its
     * size), enough to pick the candidates worth scoring: with {@code q} the query and {@code s} the signs (±1),
     * {@code q · s = 2 * estimate - sum(q)}.
     */
    static float estimate(float[][] table, byte[] code) {
        float a = 0;
        float b = 0;
        int j = 0;
        for (int end = table.length - 1; j < end; j += 2) {
            a += table[j][code[j] & 0xff];
            b += table[j + 1][code[j + 1] & 0xff];
        }
        for (; j < table.length; j++) {
            a += table[j][code[j] & 0xff];
        }
        return a + b;
    }

    /** Adds the stored vector {@code stored}, decoded, to {@code sum}. */
    static void addTo(float[] sum, byte[] stored) {
        float scale = scale(stored);
        for (int i = 0; i < sum.length; i++) {
            sum[i] += stored[SCALE_BYTES + i] * scale;
        }
    }

    /** The dot product of two float vectors (the cosine when both are unit vectors). */
    static double dot(float[] a, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (int end = a.length - 3; i < end; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return s0 + s1 + s2 + s3;
    }

    private static float scale(byte[] stored) {
        return Float.intBitsToFloat(((stored[0] & 0xff) << 24) | ((stored[1] & 0xff) << 16)
                | ((stored[2] & 0xff) << 8) | (stored[3] & 0xff));
    }

    /** {@code vector} scaled to unit length (a zero vector stays zero). */
    static float[] normalized(float[] vector) {
        double norm = 0;
        for (float value : vector) {
            norm += (double) value * value;
        }
        norm = Math.sqrt(norm);
        float[] unit = new float[vector.length];
        if (norm > 0) {
            for (int i = 0; i < vector.length; i++) {
                unit[i] = (float) (vector[i] / norm);
            }
        }
        return unit;
    }
}
