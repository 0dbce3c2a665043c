package io.engram.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeFolderTest {

    @TempDir
    Path data;

    private Path slot(int n) {
        return data.resolve(RuntimeFolder.SLOTS_FOLDER).resolve("slot-" + n);
    }

    @Test
    void aSlotHeldInThisJvmIsTakenAndFreeAgainOnceReleased() throws Exception {
        RuntimeFolder first = RuntimeFolder.acquire(data);
        RuntimeFolder second = RuntimeFolder.acquire(data);
        assertEquals(slot(0), first.path());
        assertEquals(slot(1), second.path());
        assertTrue(first.reusable() && second.reusable());

        first.release();
        RuntimeFolder third = RuntimeFolder.acquire(data);
        assertEquals(slot(0), third.path(), "a released slot is the first free one again");
        assertTrue(Files.isDirectory(slot(0)), "the slot is kept for the next process");
        second.release();
        third.release();
    }

    @Test
    void whenEverySlotIsTakenAPrivateFolderIsUsedAndDeletedOnRelease() throws Exception {
        RuntimeFolder a = RuntimeFolder.acquire(data, 2);
        RuntimeFolder b = RuntimeFolder.acquire(data, 2);
        RuntimeFolder own = RuntimeFolder.acquire(data, 2);
        assertFalse(own.reusable());
        assertEquals(data.resolve(RuntimeFolder.RUN_FOLDER).resolve("engram-run-" + ProcessHandle.current().pid()),
                own.path());
        own.release();
        assertFalse(Files.exists(own.path()));
        a.release();
        b.release();
    }

    @Test
    void aPrivateFolderAskedForLeavesTheFreeSlotsAlone() throws Exception {
        RuntimeFolder own = RuntimeFolder.acquirePrivate(data);
        assertFalse(own.reusable());
        assertEquals(data.resolve(RuntimeFolder.RUN_FOLDER).resolve("engram-run-" + ProcessHandle.current().pid()),
                own.path());
        assertFalse(Files.exists(slot(0)), "no slot taken");
        own.release();
        assertFalse(Files.exists(own.path()));
    }

    @Test
    void aSlotLockedByAnotherProcessIsSkippedAndFreedWhenThatProcessIsKilled() throws Exception {
        Files.createDirectories(slot(0));
        Process holder = lockInChildProcess(slot(0).resolve(RuntimeFolder.LOCK_FILE));
        try {
            RuntimeFolder mine = RuntimeFolder.acquire(data);
            assertEquals(slot(1), mine.path(), "slot-0 belongs to the other process");
            holder.destroyForcibly(); // kill -9: the OS drops its lock
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
            RuntimeFolder next = RuntimeFolder.acquire(data);
            assertEquals(slot(0), next.path(), "a killed process never leaves its slot unusable");
            next.release();
            mine.release();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void theFolderOfAProcessThatIsGoneIsRemovedAtStart() throws Exception {
        Process gone = new ProcessBuilder(javaBinary(), "-version").redirectErrorStream(true).start();
        gone.getInputStream().readAllBytes();
        assertEquals(0, gone.waitFor());
        Path stale = Files.createDirectories(
                data.resolve(RuntimeFolder.RUN_FOLDER).resolve("engram-run-" + gone.pid()).resolve("felix-cache"));

        RuntimeFolder.acquire(data).release();
        assertFalse(Files.exists(stale.getParent()));
    }

    private static Process lockInChildProcess(Path lockFile) throws Exception {
        String classPath = Path.of(SlotLockHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        Process child = new ProcessBuilder(javaBinary(), "-cp", classPath, SlotLockHolder.class.getName(),
                lockFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine());
        return child;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
