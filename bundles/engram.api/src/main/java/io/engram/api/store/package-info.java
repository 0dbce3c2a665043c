/**
 * The storage contract: named keyspaces of byte keys and values, read and write
 * transactions, and the exceptions that say why storage cannot serve right now.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.engram.api.store;
