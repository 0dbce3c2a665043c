/**
 * The tool contract: a plugin registers {@link io.engram.api.tool.Tool} services and the
 * host lists them to MCP clients and routes {@code tools/call} to them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.engram.api.tool;
