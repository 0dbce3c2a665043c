package io.engram.semantic;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * all-MiniLM-L6-v2 (quantized, 384 dimensions) on ONNX Runtime, in this process, with no network: the model,
 * its tokenizer, ONNX Runtime and the tokenizer's native library all come from this bundle. Thread-safe.
 */
final class MiniLmEmbedder {

    /** Names the model and the stored vector format: a change of either makes every memory be embedded again. */
    static final String MODEL_ID = "all-minilm-l6-v2-q/int8";

    static final int DIMENSIONS = 384;

    private final EmbeddingModel model;

    private MiniLmEmbedder(EmbeddingModel model) {
        this.model = model;
    }

    /**
     * Loads the model (about a second of CPU) and embeds one text, so the first real call pays nothing.
     *
     * @param nativeDir where the tokenizer's native library is extracted (kept across runs); null for DJL's
     *        default (~/.djl.ai)
     */
    static MiniLmEmbedder load(Path nativeDir) {
        // DJL reads these when it loads the tokenizer's library: never download (the library is in this bundle),
        // and extract into the host's folder rather than the user's home. They are JVM-wide, so only set when
        // nobody chose otherwise.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (nativeDir != null && System.getProperty("ENGINE_CACHE_DIR") == null
                && System.getenv("ENGINE_CACHE_DIR") == null) {
            System.setProperty("ENGINE_CACHE_DIR", nativeDir.toAbsolutePath().toString());
        }
        // The embeddings run on the calling thread: the worker embeds one batch at a time, and ONNX Runtime
        // already spreads each inference over the cores.
        MiniLmEmbedder embedder = inBundle(() -> new MiniLmEmbedder(new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run)));
        embedder.embed(List.of("warm up the model"));
        return embedder;
    }

    /** One unit vector of {@link #DIMENSIONS} per text, in order. */
    List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            segments.add(TextSegment.from(text));
        }
        List<Embedding> embeddings = inBundle(() -> model.embedAll(segments).content());
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(Vectors.normalized(embedding.vector()));
        }
        return vectors;
    }

    float[] embed(String text) {
        return embed(List.of(text)).get(0);
    }

    /**
     * Runs {@code work} with this bundle's class loader as the thread's context class loader: langchain4j reads
     * the model through it, and DJL finds the tokenizer's native library through it.
     */
    private static <T> T inBundle(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(MiniLmEmbedder.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
