package io.engram.mcp.registry;

/**
 * Where a tool came from: its service id and ranking (which decide between two tools with one
 * name) and the symbolic name of the bundle that registered it (for log messages).
 */
public record ToolOrigin(long serviceId, int ranking, String bundle) {

    /** True when this origin's tool wins a name clash against {@code other}: higher ranking, then lower service id. */
    boolean outranks(ToolOrigin other) {
        if (ranking != other.ranking) {
            return ranking > other.ranking;
        }
        return serviceId < other.serviceId;
    }

    @Override
    public String toString() {
        return bundle + " (service " + serviceId + ", ranking " + ranking + ")";
    }
}
