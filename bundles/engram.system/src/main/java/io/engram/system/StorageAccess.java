package io.engram.system;

import io.engram.api.store.ServiceSlot;
import io.engram.api.store.Store;
import io.engram.api.store.StoreAdmin;
import io.engram.api.store.StoreStatus;
import io.engram.api.tool.InvalidArgumentException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * What the system tools need of storage: the Store's status (never waiting) and the
 * StoreAdmin operations (waiting a bounded time while the storage bundle restarts), plus the
 * data folder that backups default to and relative paths are resolved against. Both
 * references are dynamic and optional, so the tools stay listed while storage is away.
 */
@Component(service = StorageAccess.class)
public class StorageAccess {

    /** Framework property holding the absolute path of the data folder, set by the launcher. */
    static final String DATA_DIR_PROPERTY = "engram.data.dir";
    /** How long an operation waits for the StoreAdmin service while the storage bundle restarts. */
    static final long ADMIN_WAIT_MS = 5_000;

    private static final DateTimeFormatter BACKUP_NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path dataDir;
    private final long adminWaitMs;
    private final ServiceSlot<Store> store = new ServiceSlot<>();
    private final ServiceSlot<StoreAdmin> admin = new ServiceSlot<>();

    @Activate
    public StorageAccess(BundleContext context) {
        this(dataDir(context.getProperty(DATA_DIR_PROPERTY)), ADMIN_WAIT_MS);
    }

    /** @param dataDir the data folder, or null when unknown (then only absolute paths work) */
    StorageAccess(Path dataDir, long adminWaitMs) {
        this.dataDir = dataDir;
        this.adminWaitMs = adminWaitMs;
    }

    private static Path dataDir(String property) {
        return property == null || property.isBlank() ? null : Path.of(property).toAbsolutePath();
    }

    @Reference(name = "store", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(Store bound) {
        store.set(bound);
    }

    void unbindStore(Store unbound) {
        store.unset(unbound);
    }

    @Reference(name = "storeAdmin", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStoreAdmin(StoreAdmin bound) {
        admin.set(bound);
    }

    void unbindStoreAdmin(StoreAdmin unbound) {
        admin.unset(unbound);
    }

    /** The store's status now; "unavailable" when the storage bundle is not running. */
    StoreStatus storeStatus() {
        Store current = store.current();
        return current != null ? current.status()
                : StoreStatus.of("", StoreStatus.State.UNAVAILABLE, "the storage bundle is not running");
    }

    /** The StoreAdmin service, waiting a bounded time for it; StoreUnavailableException when it stays away. */
    StoreAdmin admin() {
        return admin.await(adminWaitMs);
    }

    /** Where a backup goes when the caller names no destination: {@code <data>/backups/<UTC time>}. */
    Path defaultBackupFolder(Instant now) {
        if (dataDir == null) {
            throw new InvalidArgumentException("destination", "required here: the data folder is not known");
        }
        return dataDir.resolve("backups").resolve(BACKUP_NAME.format(now));
    }

    /** A path argument as an absolute path; a relative one is taken from the data folder. */
    Path resolve(String field, String path) {
        try {
            Path given = Path.of(path);
            if (given.isAbsolute()) {
                return given.normalize();
            }
            if (dataDir == null) {
                throw new InvalidArgumentException(field, "must be an absolute path: the data folder is not known");
            }
            return dataDir.resolve(given).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidArgumentException(field, "not a valid path: " + e.getMessage());
        }
    }
}
