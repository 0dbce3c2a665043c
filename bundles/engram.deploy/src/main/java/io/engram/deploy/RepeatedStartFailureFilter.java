package io.engram.deploy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Lets FileInstall's "Error while starting bundle" warning through once per bundle version and
 * failure. FileInstall tries again to start every bundle that failed whenever any bundle changes
 * (each new plugin, for instance) and logs each failure again, which would send the client the
 * same old warnings with every deployment.
 */
@Component(immediate = true, service = {})
public final class RepeatedStartFailureFilter implements Filter {

    private static final String START_FAILURE = "Error while starting bundle: ";

    /** FileInstall's java.util.logging logger; held here, as the log manager keeps loggers only weakly. */
    private final Logger fileInstallLog = Logger.getLogger("fileinstall");
    private final BundleContext context;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    @Activate
    public RepeatedStartFailureFilter(BundleContext context) {
        this.context = context;
        fileInstallLog.setFilter(this);
    }

    @Deactivate
    void close() {
        if (fileInstallLog.getFilter() == this) {
            fileInstallLog.setFilter(null);
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message == null || !message.startsWith(START_FAILURE)) {
            return true;
        }
        String location = message.substring(START_FAILURE.length());
        Bundle bundle = context.getBundle(location);
        String failure = record.getThrown() == null ? "" : String.valueOf(record.getThrown().getMessage());
        return reported.add(location + "@" + (bundle == null ? 0 : bundle.getLastModified()) + ": " + failure);
    }
}
