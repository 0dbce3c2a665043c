package io.engram.semantic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;

/**
 * Spherical k-means over stored (int8) unit vectors: centroids are unit vectors and a vector belongs to the centroid
 * with the largest cosine. Written here because it is twenty lines over {@link Vectors} and the libraries that have
 * one (Smile, Commons Math) would bring megabytes and their own vector types into the bundle.
 */
final class KMeans {

    /** Stop early once fewer than this share of the sample changes cluster in an iteration. */
    private static final double SETTLED = 0.002;

    private KMeans() {
    }

    /**
     * {@code k} unit centroids for {@code sample} (at least {@code k} stored vectors), after at most
     * {@code iterations} rounds. Starts from {@code k} sample vectors chosen at random ({@code seed}); a cluster
     * left empty takes a random sample vector again. Throws {@link CancellationException} when the thread is
     * interrupted.
     */
    static float[][] train(List<byte[]> sample, int k, int iterations, long seed) {
        if (sample.size() < k) {
            throw new IllegalArgumentException(sample.size() + " vectors cannot make " + k + " clusters");
        }
        int dimensions = sample.get(0).length - Vectors.encodedLength(0);
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>(sample.size());
        for (int i = 0; i < sample.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        float[][] centroids = new float[k][];
        for (int c = 0; c < k; c++) {
            centroids[c] = decoded(sample.get(order.get(c)), dimensions);
        }
        int[] assigned = new int[sample.size()];
        Arrays.fill(assigned, -1);
        for (int round = 0; round < iterations; round++) {
            float[][] sums = new float[k][dimensions];
            int[] sizes = new int[k];
            int moved = 0;
            for (int i = 0; i < sample.size(); i++) {
                if ((i & 1023) == 0 && Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("interrupted while clustering vectors");
                }
                int c = nearest(centroids, sample.get(i));
                if (c != assigned[i]) {
                    moved++;
                    assigned[i] = c;
                }
                Vectors.addTo(sums[c], sample.get(i));
                sizes[c]++;
            }
            for (int c = 0; c < k; c++) {
                centroids[c] = sizes[c] > 0 ? Vectors.normalized(sums[c])
                        : decoded(sample.get(random.nextInt(sample.size())), dimensions);
            }
            if (moved < SETTLED * sample.size()) {
                break;
            }
        }
        return centroids;
    }

    /** The index of the centroid most similar to the stored vector {@code stored}. */
    static int nearest(float[][] centroids, byte[] stored) {
        int best = 0;
        double bestSimilarity = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            double similarity = Vectors.cosine(centroids[c], stored);
            if (similarity > bestSimilarity) {
                bestSimilarity = similarity;
                best = c;
            }
        }
        return best;
    }

    private static float[] decoded(byte[] stored, int dimensions) {
        float[] vector = new float[dimensions];
        Vectors.addTo(vector, stored);
        return Vectors.normalized(vector);
    }
}
