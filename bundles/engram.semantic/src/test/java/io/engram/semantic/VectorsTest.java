package io.engram.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void aStoredVectorTakesOneBytePerDimensionAndKeepsTheCosineWithinAHundredth() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            float[] a = gaussian(random);
            float[] b = gaussian(random);
            // a correlated pair, like texts that mean nearly the same
            for (int i = 0; i < b.length; i++) {
                b[i] = a[i] + b[i] * (round % 10) / 10f;
            }
            float[] ua = Vectors.normalized(a);
            float[] ub = Vectors.normalized(b);
            double exact = 0;
            for (int i = 0; i < ua.length; i++) {
                exact += ua[i] * ub[i];
            }
            byte[] stored = Vectors.encode(b);
            assertEquals(Vectors.encodedLength(384), stored.length);
            assertEquals(exact, Vectors.cosine(ua, stored), 0.01);
        }
    }

    @Test
    void aVectorIsMostSimilarToItself() {
        float[] v = Vectors.normalized(gaussian(new Random(7)));
        assertTrue(Vectors.cosine(v, Vectors.encode(v)) > 0.999);
    }

    @Test
    void anyDimensionCountScoresEveryDimension() {
        float[] odd = Vectors.normalized(new float[] {1, 2, 3, 4, 5, 6, 7});
        assertEquals(1.0, Vectors.cosine(odd, Vectors.encode(odd)), 0.01);
        float[] last = Vectors.normalized(new float[] {0, 0, 0, 0, 0, 0, 1});
        assertEquals(7 / Math.sqrt(140), Vectors.cosine(odd, Vectors.encode(last)), 0.01);
    }

    static float[] gaussian(Random random) {
        float[] v = new float[384];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
