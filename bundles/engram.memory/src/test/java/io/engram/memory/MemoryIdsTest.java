package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemoryIdsTest {

    @Test
    void idsAreUrlSafeAndWellFormed() {
        String id = MemoryIds.next(1_700_000_000_000L);
        assertTrue(id.matches("mem_[0-9A-Z]{26}"), id);
        assertTrue(MemoryIds.isWellFormed(id));
        assertFalse(MemoryIds.isWellFormed("mem_" + "I".repeat(26)));
        assertFalse(MemoryIds.isWellFormed("nope"));
    }

    @Test
    void idsSortByCreationTime() {
        String earlier = MemoryIds.next(1_700_000_000_000L);
        String later = MemoryIds.next(1_700_000_000_001L);
        assertTrue(earlier.compareTo(later) < 0);
    }

    @Test
    void idsOfTheSameMillisecondDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(MemoryIds.next(1_700_000_000_000L));
        }
        assertEquals(10_000, ids.size());
    }
}
