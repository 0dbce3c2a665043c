/**
 * The knowledge graph as a model other bundles call inside their own write transactions: typed
 * nodes ({@code Entity::<name>}, {@code Document::<id>}, {@code Memory::<id>},
 * {@code Episode::<id>}) and named relations between them, each in a namespace. Get the
 * {@link io.engram.kg.graph.KnowledgeGraph} service and pass it the transaction of your own
 * {@code Store.write}, so your record and its graph links commit together or not at all.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.engram.kg.graph;
