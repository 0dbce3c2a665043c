package io.engram.kg;

import io.engram.api.status.StatusContributor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code graph} section of {@code system_status}: nodes and edges in the graph, all namespaces
 * together (the original system reported {@code graph: {nodes, edges}}). Empty while the store is
 * not open.
 */
@Component(service = StatusContributor.class)
public class KgStatusContributor implements StatusContributor {

    private final KgEngine kg;

    @Activate
    public KgStatusContributor(@Reference(name = "kg") KgEngine kg) {
        this.kg = kg;
    }

    @Override
    public String section() {
        return "graph";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> counts = kg.counts();
        return counts == null ? new LinkedHashMap<>() : counts;
    }
}
