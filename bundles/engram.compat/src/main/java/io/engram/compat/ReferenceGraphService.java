package io.engram.compat;

import io.engram.api.store.DynamicStore;
import io.engram.api.store.Store;
import io.engram.kg.graph.KnowledgeGraph;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The reference-compatible graph as a service for its tools, on engram.kg's {@link KnowledgeGraph}
 * and the Store service. The tools stay listed while storage restarts; a call made meanwhile
 * waits a little for it.
 */
@Component(service = ReferenceGraph.class, immediate = true)
public class ReferenceGraphService extends ReferenceGraph {

    /** How long a call waits for the Store service while the storage bundle restarts. */
    static final long STORE_WAIT_MS = 5_000;

    private final DynamicStore storage;

    @Activate
    public ReferenceGraphService(@Reference(name = "graph") KnowledgeGraph graph) {
        this(new DynamicStore(STORE_WAIT_MS), graph);
    }

    private ReferenceGraphService(DynamicStore storage, KnowledgeGraph graph) {
        super(storage, graph, CompatSettings.DEFAULTS);
        this.storage = storage;
    }

    // Dynamic and optional: the service (and so the tools) stay while storage restarts.
    @Reference(name = "store", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(Store store) {
        storage.set(store);
    }

    void unbindStore(Store store) {
        storage.unset(store);
    }
}
