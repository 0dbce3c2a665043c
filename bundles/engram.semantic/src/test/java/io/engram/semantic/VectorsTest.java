package io.engram.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
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

    @Test
    void aCodeKeepsEachDimensionsSignAndItsEstimateSumsTheQueryWhereTheVectorIsPositive() {
        Random random = new Random(11);
        for (int dimensions : new int[] {384, 7, 9}) {
            float[] query = Vectors.normalized(gaussian(random, dimensions));
            byte[] stored = Vectors.encode(gaussian(random, dimensions));
            byte[] code = Vectors.code(stored);
            assertEquals(Vectors.codeLength(dimensions), code.length);
            double expected = 0;
            for (int i = 0; i < dimensions; i++) {
                boolean positive = stored[4 + i] > 0;
                assertEquals(positive, (code[i / 8] & (1 << (i % 8))) != 0, "dimension " + i);
                expected += positive ? query[i] : 0;
            }
            assertEquals(expected, Vectors.estimate(Vectors.codeTable(query), code), 1e-4);
        }
    }

    @Test
    void theEstimatePutsTheNearestVectorsAmongTheFirst() {
        // 2,000 vectors at random, ten near the query: ranked by code, the ten are among the first 100
        Random random = new Random(5);
        float[] query = Vectors.normalized(gaussian(random, 384));
        List<byte[]> stored = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            float[] noise = gaussian(random, 384);
            float[] vector = new float[384];
            for (int d = 0; d < 384; d++) {
                vector[d] = i < 10 ? query[d] + noise[d] * 0.08f : noise[d];
            }
            stored.add(Vectors.encode(vector));
        }
        float[][] table = Vectors.codeTable(query);
        List<Integer> byCode = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            byCode.add(i);
        }
        byCode.sort(Comparator.comparingDouble(i -> -Vectors.estimate(table, Vectors.code(stored.get(i)))));
        assertTrue(new HashSet<>(byCode.subList(0, 100)).containsAll(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)),
                byCode.subList(0, 20).toString());
    }

    static float[] gaussian(Random random, int dimensions) {
        float[] v = new float[dimensions];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    static float[] gaussian(Random random) {
        float[] v = new float[384];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
