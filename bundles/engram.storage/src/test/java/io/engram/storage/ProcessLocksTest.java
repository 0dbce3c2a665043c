package io.engram.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessLocksTest {

    /** Captured shape of /proc/locks: holders, a blocked waiter ("->"), an OFD lock (pid -1), other files. */
    private static final String SAMPLE = """
            1: POSIX  ADVISORY  READ  4711 fe:00:2173984 0 0
            2: POSIX  ADVISORY  READ  815 fe:00:2173984 0 0
            2: -> POSIX  ADVISORY  WRITE 9001 fe:00:2173984 0 0
            3: POSIX  ADVISORY  WRITE 4711 fe:00:2173984 4711 4711
            4: POSIX  ADVISORY  WRITE 5555 fe:00:2173985 0 EOF
            5: POSIX  ADVISORY  WRITE 6666 fe:01:2173984 0 EOF
            6: OFDLCK ADVISORY  READ  -1 fe:00:2173984 0 EOF
            7: FLOCK  ADVISORY  WRITE 7777 103:02:2173984 0 EOF
            """;

    @Test
    void listsEveryProcessLockingTheFileOnceInOrder() {
        assertEquals(List.of(815L, 4711L, 9001L), ProcessLocks.parse(SAMPLE, 0xfe, 0x00, 2173984));
    }

    @Test
    void deviceNumbersAreReadInHex() {
        assertEquals(List.of(7777L), ProcessLocks.parse(SAMPLE, 0x103, 0x02, 2173984));
        assertEquals(List.of(), ProcessLocks.parse(SAMPLE, 0xfe, 0x00, 1));
        assertEquals(List.of(), ProcessLocks.parse("", 0xfe, 0x00, 2173984));
    }

    @Test
    void splitsLinuxDeviceNumbers() {
        // Small numbers: major in bits 8..19, minor in bits 0..7.
        assertEquals(0xfe, ProcessLocks.major(0xfe00L));
        assertEquals(0, ProcessLocks.minor(0xfe00L));
        assertEquals(0x103, ProcessLocks.major(0x10302L));
        assertEquals(2, ProcessLocks.minor(0x10302L));
        // Large minors live in bits 20..43 of glibc's encoding.
        long dev = (0x12345L << 20) | (0x8L << 8) | 0x67L;
        assertEquals(8, ProcessLocks.major(dev));
        assertEquals(0x1234567L, ProcessLocks.minor(dev));
    }
}
