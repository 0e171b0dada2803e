package org.lovoccs.pipeline;

/** A pipeline that cannot be loaded, selected, configured or ordered; the message says why and what is valid. */
public class PipelineException extends RuntimeException {
    /** @param message what is wrong, in the user's terms (labels, keys, file and line) */
    public PipelineException(String message) {
        super(message);
    }

    /** @param message what is wrong; @param cause the underlying error */
    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
