package io.engram.tests.plugins.activator_throws;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** A plugin whose activator fails, as one does when a resource it needs is missing. */
public class Activator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("activator_throws cannot find its settings file");
    }

    @Override
    public void stop(BundleContext context) {
    }
}
