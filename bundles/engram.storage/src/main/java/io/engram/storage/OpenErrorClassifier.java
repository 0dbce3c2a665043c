package io.engram.storage;

import java.nio.file.Path;
import java.util.Locale;
import org.lmdbjava.LmdbNativeException;

/**
 * Decides whether a failed open is worth retrying and, when it is not, says what went wrong
 * and what to do. lmdbjava names native codes after POSIX errno values even on Windows
 * (32 shows as EPIPE), so this looks only at {@link LmdbNativeException#getResultCode()}
 * and the operating system, never at exception names or messages.
 */
final class OpenErrorClassifier {

    /** How many times a Windows "access denied" is retried: right after a hard kill it is transient. */
    static final int WINDOWS_ACCESS_DENIED_RETRIES = 3;

    static final int MDB_NOTFOUND = -30798;
    static final int MDB_PANIC = -30795;
    static final int MDB_VERSION_MISMATCH = -30794;
    static final int MDB_INVALID = -30793;

    /** The operating system families whose error codes differ. */
    enum Os {
        LINUX, BSD, WINDOWS;

        static Os current() {
            String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (name.startsWith("windows")) {
                return WINDOWS;
            }
            return name.contains("mac") || name.contains("darwin") || name.contains("bsd") ? BSD : LINUX;
        }
    }

    /**
     * The outcome for one failed attempt.
     *
     * @param retry   whether to try again
     * @param label   for retry log lines: "Database locked" in "Database locked, retrying in ..."
     * @param reason  short cause for callers: "database locked by another process"
     * @param message for a fatal failure: path, code, meaning and what to do; null when retried
     */
    record Verdict(boolean retry, String label, String reason, String message) {

        static Verdict retry(String label, String reason) {
            return new Verdict(true, label, reason, null);
        }

        static Verdict fatal(Path dir, String meaning, String advice) {
            return new Verdict(false, null, meaning, "Cannot open the store at " + dir + ": " + meaning + ". " + advice);
        }
    }

    private final Os os;
    private int accessDeniedSoFar;

    /** One classifier per open: it counts the Windows "access denied" failures it has seen. */
    OpenErrorClassifier(Os os) {
        this.os = os;
    }

    /** The verdict for an open attempt that ran longer than its timeout (Linux blocks on a peer's lock). */
    Verdict blocked() {
        return Verdict.retry("Database locked", "database locked by another process");
    }

    /** The verdict when this process still has the same store open in another, closing instance. */
    Verdict openInThisProcess() {
        return Verdict.retry("Database still open in this process",
                "database still open by a closing store in this process");
    }

    /** Classifies {@code error} thrown by an open attempt on {@code dir}. */
    Verdict classify(Throwable error, Path dir) {
        if (error instanceof LinkageError) {
            return Verdict.fatal(dir, "the LMDB native library could not be loaded (" + error + ")",
                    "Check that the engram.lmdb bundle matches this platform and that the folder named by"
                            + " lmdbjava.extract.dir (or the temp folder) is writable and not mounted noexec");
        }
        if (error instanceof LmdbBuffers.OptionsMissing) {
            return Verdict.fatal(dir, error.getMessage(), "Start Engram with java -jar engram.jar, whose manifest gives"
                    + " them, or add " + LmdbBuffers.JVM_OPTIONS + " to the java command");
        }
        if (!(error instanceof LmdbNativeException)) {
            return Verdict.fatal(dir, "unexpected error " + error,
                    "Check the log above for its cause; the store files may be damaged, restore them from a backup");
        }
        int code = ((LmdbNativeException) error).getResultCode();
        switch (code) {
            case MDB_INVALID:
                return Verdict.fatal(dir, "the files are not an LMDB database or are damaged (MDB_INVALID, code " + code + ")",
                        "Move data.mdb and lock.mdb out of the folder (or choose another path) and restore a backup");
            case MDB_VERSION_MISMATCH:
                return Verdict.fatal(dir, "the database was written by an incompatible LMDB version"
                        + " (MDB_VERSION_MISMATCH, code " + code + ")",
                        "Open it with the Engram version that created it and export the data, or choose another path");
            case MDB_PANIC:
                return Verdict.fatal(dir, "LMDB hit an unrecoverable error (MDB_PANIC, code " + code + ")",
                        "Close every Engram process using this store and start again; if it persists, restore a backup");
            default:
                return os == Os.WINDOWS ? classifyWindows(code, dir) : classifyPosix(code, dir);
        }
    }

    private Verdict classifyPosix(int code, Path dir) {
        int eagain = os == Os.BSD ? 35 : 11;
        if (code == eagain) {
            return Verdict.retry("Database locked", "database locked by another process");
        }
        switch (code) {
            case 16:
                return Verdict.retry("Database busy", "database busy (EBUSY)");
            case 4:
                return Verdict.retry("Database open interrupted", "database open interrupted (EINTR)");
            case 1:
            case 13:
                return Verdict.fatal(dir, "permission denied (" + (code == 1 ? "EPERM" : "EACCES") + ", code " + code + ")",
                        "Give the user running Engram read and write access to this folder, or set another path"
                                + " in config/engram.storage.cfg");
            case 30:
                return Verdict.fatal(dir, "the file system is read-only (EROFS, code 30)",
                        "Choose a writable folder with path= in config/engram.storage.cfg");
            case 28:
                return Verdict.fatal(dir, "no space left on the device (ENOSPC, code 28)",
                        "Free disk space or move the store to another disk");
            case 12:
                return Verdict.fatal(dir, "not enough memory or address space to map the store (ENOMEM, code 12)",
                        "Lower initialMapSizeBytes in config/engram.storage.cfg or free memory");
            case 20:
                return Verdict.fatal(dir, "a part of the path is a file, not a folder (ENOTDIR, code 20)",
                        "Move that file away or set another path in config/engram.storage.cfg");
            default:
                return Verdict.fatal(dir, "the system reported error code " + code,
                        "Check the folder's permissions and disk; set another path in config/engram.storage.cfg if needed");
        }
    }

    private Verdict classifyWindows(int code, Path dir) {
        switch (code) {
            case 32:
                return Verdict.retry("Database locked", "database file in use by another process (sharing violation, code 32)");
            case 33:
                return Verdict.retry("Database locked", "database locked by another process (lock violation, code 33)");
            case 2:
                // Right after a hard kill the dead process's mutex can be briefly missing; only a
                // vanished folder makes "file not found" permanent.
                if (dir.toFile().isDirectory()) {
                    return Verdict.retry("Database lock not ready", "database lock not ready (code 2)");
                }
                return Verdict.fatal(dir, "the folder does not exist (code 2)",
                        "Create it or set another path in config/engram.storage.cfg");
            case 5:
                if (accessDeniedSoFar++ < WINDOWS_ACCESS_DENIED_RETRIES) {
                    return Verdict.retry("Database access denied", "database access denied (code 5)");
                }
                return Verdict.fatal(dir, "access denied (code 5)",
                        "Give the user running Engram full control of this folder, or set another path in"
                                + " config/engram.storage.cfg");
            case 3:
                return Verdict.fatal(dir, "the path does not exist (code 3)",
                        "Create the folder or set another path in config/engram.storage.cfg");
            case 8:
                return Verdict.fatal(dir, "not enough memory to map the store (code 8)",
                        "Lower initialMapSizeBytes in config/engram.storage.cfg or free memory");
            case 39:
            case 112:
                return Verdict.fatal(dir, "the disk is full (code " + code + ")",
                        "Free disk space or move the store to another disk");
            case 1224:
                return Verdict.fatal(dir, "another process maps the store with a different size (code 1224)",
                        "Use the same engram.storage settings in every Engram process, or close the others");
            default:
                return Verdict.fatal(dir, "Windows reported error code " + code,
                        "Check the folder's permissions and disk; set another path in config/engram.storage.cfg if needed");
        }
    }
}
