package io.engram.mcp.stdio;

import io.engram.mcp.protocol.MessageSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * The one writer of the protocol stream: each message becomes one line, written and flushed
 * under a lock, so messages from concurrent calls never interleave.
 */
public final class LineWriter implements MessageSink {

    private static final Logger LOG = Logger.getLogger(LineWriter.class.getName());

    private final OutputStream out;
    private boolean broken;

    public LineWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public synchronized void send(String json) {
        if (broken) {
            return;
        }
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[text.length + 1];
        System.arraycopy(text, 0, line, 0, text.length);
        line[text.length] = '\n';
        try {
            out.write(line);
            out.flush();
        } catch (IOException e) {
            // the client is gone; stdin EOF follows and shuts the host down
            broken = true;
            LOG.warning("Writing to the client failed, dropping further messages: " + e);
        }
    }
}
