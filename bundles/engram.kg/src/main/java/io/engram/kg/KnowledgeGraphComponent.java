package io.engram.kg;

import io.engram.kg.graph.KnowledgeGraph;
import java.time.Clock;
import org.osgi.service.component.annotations.Component;

/**
 * The graph model as the {@link KnowledgeGraph} service, for other bundles to change the graph
 * inside their own write transactions. It needs no Store of its own: it works in the caller's.
 */
@Component(service = KnowledgeGraph.class)
public class KnowledgeGraphComponent extends GraphModel {

    public KnowledgeGraphComponent() {
        super(Clock.systemUTC());
    }
}
