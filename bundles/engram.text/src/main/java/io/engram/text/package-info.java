/**
 * Text analysis for search: {@link io.engram.text.TextAnalyzer} turns a text into
 * {@link io.engram.text.Token}s (lower-cased, stemmed terms with positions and offsets), splitting
 * code identifiers and paths into their parts while keeping them whole too. The same analyzer must
 * build an index and read its queries; {@link io.engram.text.TextAnalyzer#id()} names what it
 * does, so an index can tell when it was built by a different one.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.engram.text;
