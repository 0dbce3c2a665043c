package io.engram.text.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The block summaries searches skip blocks by: every entry must be bounded by one of its pairs. */
class PostingsTest {

    @Test
    void theFrontierBoundsEveryEntryAndKeepsTheBestExactlyWhenFew() {
        Random random = new Random(11);
        for (int round = 0; round < 2_000; round++) {
            List<int[]> pairs = new ArrayList<>();
            for (int i = 1 + random.nextInt(128); i > 0; i--) {
                pairs.add(new int[] {1 + random.nextInt(random.nextBoolean() ? 3 : 40), random.nextInt(256)});
            }
            List<int[]> frontier = Postings.frontier(pairs);
            assertEquals(PostingBlock.FRONTIER, frontier.size());
            for (int[] pair : pairs) {
                assertTrue(frontier.stream().anyMatch(bound -> bound[0] >= pair[0] && bound[1] <= pair[1]),
                        "(" + pair[0] + ", " + pair[1] + ") not bounded");
            }
        }
        // few Pareto-best entries are kept as they are: the bound is exact
        List<int[]> few = List.of(new int[] {5, 40}, new int[] {2, 10}, new int[] {1, 30}, new int[] {3, 20});
        List<int[]> frontier = Postings.frontier(few);
        assertEquals(List.of("5,40", "3,20", "2,10"), frontier.stream().map(p -> p[0] + "," + p[1]).toList());
    }
}
