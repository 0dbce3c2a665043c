/**
 * Status reporting: services that add a section to {@code system_status}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.engram.api.status;
