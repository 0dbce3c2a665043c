package io.engram.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.storage.OpenErrorClassifier.Os;
import io.engram.storage.OpenErrorClassifier.Verdict;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lmdbjava.LmdbNativeException;

class OpenErrorClassifierTest {

    @TempDir
    Path dir;

    /** What lmdbjava throws for a native result code (its constructor is package-private). */
    private static LmdbNativeException nativeError(int code) throws Exception {
        Constructor<LmdbNativeException> constructor =
                LmdbNativeException.class.getDeclaredConstructor(int.class, String.class);
        constructor.setAccessible(true);
        return constructor.newInstance(code, "a name that must not matter");
    }

    @ParameterizedTest(name = "{0} code {1}: retry={2}")
    @CsvSource({
        "LINUX, 11, true, ",
        "LINUX, 16, true, ",
        "LINUX, 4, true, ",
        "LINUX, 35, false, error code 35",
        "LINUX, 13, false, 'permission denied (EACCES, code 13)'",
        "LINUX, 30, false, 'read-only (EROFS, code 30)'",
        "LINUX, 28, false, 'no space left on the device (ENOSPC, code 28)'",
        "LINUX, 12, false, 'not enough memory or address space to map the store (ENOMEM, code 12)'",
        "LINUX, -30793, false, 'MDB_INVALID, code -30793'",
        "LINUX, -30794, false, 'MDB_VERSION_MISMATCH, code -30794'",
        "LINUX, -30795, false, 'MDB_PANIC, code -30795'",
        "BSD, 35, true, ",
        "BSD, 11, false, error code 11",
        "BSD, 13, false, 'EACCES, code 13'",
        "WINDOWS, 32, true, ",
        "WINDOWS, 33, true, ",
        "WINDOWS, 2, true, ",
        "WINDOWS, 5, true, ",
        "WINDOWS, 3, false, the path does not exist (code 3)",
        "WINDOWS, 112, false, the disk is full (code 112)",
        "WINDOWS, 1224, false, different size (code 1224)",
        "WINDOWS, 11, false, Windows reported error code 11",
        "WINDOWS, -30793, false, MDB_INVALID",
    })
    void classifiesByCodeAndOs(Os os, int code, boolean retry, String messagePart) throws Exception {
        Verdict verdict = new OpenErrorClassifier(os).classify(nativeError(code), dir);
        assertEquals(retry, verdict.retry(), verdict.toString());
        if (!retry) {
            assertTrue(verdict.message().startsWith("Cannot open the store at " + dir + ": "), verdict.message());
            assertTrue(verdict.message().contains(messagePart), verdict.message());
        }
    }

    @Test
    void windowsAccessDeniedIsRetriedOnlyAFewTimes() throws Exception {
        OpenErrorClassifier classifier = new OpenErrorClassifier(Os.WINDOWS);
        for (int i = 0; i < OpenErrorClassifier.WINDOWS_ACCESS_DENIED_RETRIES; i++) {
            assertTrue(classifier.classify(nativeError(5), dir).retry());
        }
        Verdict last = classifier.classify(nativeError(5), dir);
        assertFalse(last.retry());
        assertTrue(last.message().contains("access denied (code 5)"), last.message());
    }

    @Test
    void windowsFileNotFoundIsFatalWhenTheFolderIsGone() throws Exception {
        Verdict verdict = new OpenErrorClassifier(Os.WINDOWS).classify(nativeError(2), dir.resolve("gone"));
        assertFalse(verdict.retry());
        assertTrue(verdict.message().contains("the folder does not exist (code 2)"), verdict.message());
    }

    @Test
    void aNativeLibraryThatDoesNotLoadIsFatal() {
        Verdict verdict = new OpenErrorClassifier(Os.LINUX)
                .classify(new UnsatisfiedLinkError("GLIBC_2.38 not found"), dir);
        assertFalse(verdict.retry());
        assertTrue(verdict.message().contains("the LMDB native library could not be loaded"), verdict.message());
        assertTrue(verdict.message().contains("GLIBC_2.38 not found"), verdict.message());
    }

    @Test
    void aBlockedOpenIsALockedDatabase() {
        Verdict verdict = new OpenErrorClassifier(Os.LINUX).blocked();
        assertTrue(verdict.retry());
        assertEquals("Database locked", verdict.label());
        assertEquals("database locked by another process", verdict.reason());
    }

    @Test
    void retryDelaysGrowByTheBackoffUpToTheCeilingWithJitter() {
        StoreSettings settings = StoreSettings.defaults(dir);
        assertEquals(100, StoreOpener.delayMs(settings, 1, 0.5));
        assertEquals(150, StoreOpener.delayMs(settings, 2, 0.5));
        assertEquals(225, StoreOpener.delayMs(settings, 3, 0.5));
        assertEquals(1000, StoreOpener.delayMs(settings, 9, 0.5));
        assertEquals(90, StoreOpener.delayMs(settings, 1, 0.0));
        assertEquals(110, StoreOpener.delayMs(settings, 1, 0.9999));
        assertEquals(1000, StoreOpener.delayMs(settings, 30, 0.9999), "never above the ceiling");
        long total = 0;
        for (int attempt = 1; attempt < settings.openAttempts(); attempt++) {
            total += StoreOpener.delayMs(settings, attempt, 0.5);
        }
        assertTrue(total <= settings.openDeadlineMs(), "the default attempts fit the deadline: " + total);
    }
}
