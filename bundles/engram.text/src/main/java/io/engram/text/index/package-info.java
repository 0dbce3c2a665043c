/**
 * A full-text index in the store, changed in the caller's write transactions:
 * {@link io.engram.text.index.TextIndex} (BM25F over named fields, phrases, prefixes, keyword and time
 * filters, expiry, paging, explain, and rebuilding online).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.engram.text.index;
