package io.engram.tests.plugins.unresolved;

/** A class only so the plugin has content; the bundle's manifest imports a package nobody exports. */
public class NeedsMissing {
}
