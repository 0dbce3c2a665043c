package io.engram.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Sends the Felix framework's own log to java.util.logging (and so to stderr). Felix's
 * default logger prints to stdout, which belongs to the protocol.
 */
final class FelixJulLogger extends org.apache.felix.framework.Logger {

    private static final Logger LOG = Logger.getLogger("org.apache.felix.framework");

    FelixJulLogger() {
        // Felix formats every message, even those below its level, only when enabled here.
        setLogLevel(LOG.isLoggable(Level.FINE) ? LOG_DEBUG : LOG_WARNING);
    }

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        doLog(null, null, level, msg, throwable);
    }

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        Level julLevel = switch (level) {
            case LOG_ERROR -> Level.SEVERE;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.FINE;
            default -> Level.FINEST; // resolver wiring and other debug chatter
        };
        if (LOG.isLoggable(julLevel)) {
            String prefix = bundle != null ? "[" + bundle.getSymbolicName() + "] " : "";
            LOG.log(julLevel, prefix + msg, throwable);
        }
    }
}
