package io.engram.mcp.metrics;

import io.engram.api.status.StatusContributor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Component;

/**
 * Statistics of the {@code tools/call} requests this server answered, as the {@code metrics}
 * section of {@code system_status}: counts, errors (error results and protocol errors),
 * average and last latency, p50/p95 over the last {@value #WINDOW} calls, calls per second
 * over the last minute, and per tool its calls, errors and p50 latency. Recording is a few
 * atomic updates and two tiny synchronized blocks, cheap enough for every call.
 */
@Component(service = {CallMetrics.class, StatusContributor.class})
public final class CallMetrics implements StatusContributor {

    /** Latency percentiles are taken over this many most recent calls. */
    static final int WINDOW = 1024;
    /** The same per tool, where fewer calls suffice for a p50. */
    static final int TOOL_WINDOW = 256;

    private final LongSupplier nanoClock;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong totalNanos = new AtomicLong();
    private volatile long lastNanos;
    private final LatencyWindow recent = new LatencyWindow(WINDOW);
    private final CallRate rate = new CallRate();
    private final Map<String, ToolMetrics> tools = new ConcurrentHashMap<>();

    public CallMetrics() {
        this(System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds, like {@link System#nanoTime()} */
    CallMetrics(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Records one answered call.
     *
     * @param tool         the canonical name of the tool called, or null when the request was
     *                     refused before reaching a tool (unknown tool, bad parameters)
     * @param elapsedNanos from the request's arrival to its answer
     * @param error        an error result or a protocol error
     */
    public void record(String tool, long elapsedNanos, boolean error) {
        calls.incrementAndGet();
        if (error) {
            errors.incrementAndGet();
        }
        totalNanos.addAndGet(elapsedNanos);
        lastNanos = elapsedNanos;
        recent.add(elapsedNanos);
        rate.add(TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong()));
        if (tool != null) {
            tools.computeIfAbsent(tool, name -> new ToolMetrics()).record(elapsedNanos, error);
        }
    }

    @Override
    public String section() {
        return "metrics";
    }

    @Override
    public Map<String, Object> status() {
        long count = calls.get();
        long[] sorted = recent.sorted();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("count", count);
        status.put("errors", errors.get());
        status.put("avgMs", count == 0 ? 0.0 : millis(totalNanos.get() / count));
        status.put("lastMs", millis(lastNanos));
        status.put("p50Ms", millis(LatencyWindow.percentile(sorted, 0.50)));
        status.put("p95Ms", millis(LatencyWindow.percentile(sorted, 0.95)));
        double perSecond = rate.perSecond(TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong()));
        status.put("qps1m", Math.round(perSecond * 1_000) / 1_000.0);
        Map<String, Object> perTool = new TreeMap<>();
        tools.forEach((name, metrics) -> perTool.put(name, metrics.status()));
        status.put("tools", perTool);
        return status;
    }

    /** Milliseconds with microsecond precision. */
    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static final class ToolMetrics {
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final LatencyWindow recent = new LatencyWindow(TOOL_WINDOW);

        void record(long elapsedNanos, boolean error) {
            calls.incrementAndGet();
            if (error) {
                errors.incrementAndGet();
            }
            recent.add(elapsedNanos);
        }

        Map<String, Object> status() {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("count", calls.get());
            status.put("errors", errors.get());
            status.put("p50Ms", millis(LatencyWindow.percentile(recent.sorted(), 0.50)));
            return status;
        }
    }
}
