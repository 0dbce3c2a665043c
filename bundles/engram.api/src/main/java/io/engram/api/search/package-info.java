/**
 * Search contracts between bundles: {@link io.engram.api.search.SemanticIndex}, ranking memories by
 * meaning, which the optional semantic bundle provides and memory search uses when it is present.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.engram.api.search;
