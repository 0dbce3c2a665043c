/**
 * Settings from an admin's config file, checked: {@link io.engram.api.config.ConfigReader} turns the
 * configuration a component receives into values it can use as they are, so that a typo in a file
 * is reported to the admin (naming the file, the setting and the problem) instead of breaking the
 * component.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.engram.api.config;
