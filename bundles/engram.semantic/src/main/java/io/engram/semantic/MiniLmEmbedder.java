package io.engram.semantic;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * all-MiniLM-L6-v2 (quantized, 384 dimensions) on ONNX Runtime, in this process, with no network: the model,
 * its tokenizer, ONNX Runtime and the tokenizer's native library all come from this bundle. Thread-safe.
 */
final class MiniLmEmbedder {

    /** Names the model and the stored vector format: a change of either makes every memory be embedded again. */
    static final String MODEL_ID = "all-minilm-l6-v2-q/int8";

    static final int DIMENSIONS = 384;

    private static final Logger LOG = Logger.getLogger(MiniLmEmbedder.class.getName());

    private final EmbeddingModel model;

    private MiniLmEmbedder(EmbeddingModel model) {
        this.model = model;
    }

    /**
     * Loads the model (about a second of CPU) and embeds one text, so the first real call pays nothing.
     *
     * @param nativeDir a folder of this bundle's own where the tokenizer's native library is extracted; null for
     *        DJL's default (the ENGINE_CACHE_DIR property, else ~/.djl.ai)
     */
    static MiniLmEmbedder load(Path nativeDir) throws IOException {
        // DJL loads the tokenizer's library from the bundle (never download it), extracting it under
        // ENGINE_CACHE_DIR, a JVM-wide setting read at that moment.
        System.setProperty("ai.djl.offline", "true");
        if (nativeDir != null) {
            // A JVM loads a library file into one class loader only. A new revision of this bundle (an updated
            // jar) has a new class loader while the old one may still hold its copy: each load gets a folder of
            // its own, and those of earlier loads are deleted (Linux allows it while they are loaded; where the
            // system refuses, they go at a later start).
            deleteQuietly(nativeDir);
            Files.createDirectories(nativeDir);
            System.setProperty("ENGINE_CACHE_DIR", Files.createTempDirectory(nativeDir, "djl").toString());
        }
        // The embeddings run on the calling thread: the worker embeds one batch at a time, and ONNX Runtime
        // already spreads each inference over the cores.
        MiniLmEmbedder embedder = inBundle(() -> new MiniLmEmbedder(
                new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run)));
        embedder.embed(List.of("warm up the model"));
        return embedder;
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!file.equals(dir)) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        LOG.log(Level.FINE, "Not deleted now: " + file, e);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.FINE, "Earlier native libraries not deleted from " + dir, e);
        }
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
