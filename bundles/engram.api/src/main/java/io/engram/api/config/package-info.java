/**
 * Settings from an admin's config file, checked: {@link io.engram.api.config.ConfigReader} turns the
 * configuration a component receives into values it can use as they are, so that a typo in a file
 * is reported to the admin (naming the file, the setting and the problem) instead of breaking the
 * component; {@link io.engram.api.config.ConfigFileGate} says when a component's config file is in
 * force at startup, for settings that decide where data goes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.engram.api.config;
