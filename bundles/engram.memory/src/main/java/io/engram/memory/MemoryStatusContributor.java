package io.engram.memory;

import io.engram.api.status.StatusContributor;
import io.engram.api.store.Store;
import io.engram.api.store.StoreException;
import io.engram.api.store.StoreStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@code memory} section of {@code system_status}: how many short-term and long-term
 * memories are visible now, and the state of their text index ({@code text_index}: {@code state}
 * ready, building or absent, and the {@code documents} it holds). The counts are left out while the store is not open, because a
 * status request must not wait for storage.
 */
@Component(service = StatusContributor.class)
public class MemoryStatusContributor implements StatusContributor {

    private static final Logger LOG = Logger.getLogger(MemoryStatusContributor.class.getName());

    private final MemoryEngine memory;
    private final AtomicReference<Store> store = new AtomicReference<>();

    @Activate
    public MemoryStatusContributor(@Reference(name = "memory") MemoryEngine memory) {
        this.memory = memory;
    }

    // Only to ask whether the store is open before counting; the engine does the reading.
    @Reference(name = "store", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(Store bound) {
        store.set(bound);
    }

    void unbindStore(Store unbound) {
        store.compareAndSet(unbound, null);
    }

    @Override
    public String section() {
        return "memory";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        Store current = store.get();
        if (current == null || current.status().state() != StoreStatus.State.OPEN) {
            return status;
        }
        try {
            status.put("stm_count", memory.countVisible(Layer.STM));
            status.put("ltm_count", memory.countVisible(Layer.LTM));
            status.put("text_index", memory.indexStatus());
        } catch (StoreException e) {
            // the store closed between the check and the scan: report what the check would have
            LOG.log(Level.FINE, "Memory counts unavailable", e);
            status.clear();
        }
        return status;
    }
}
