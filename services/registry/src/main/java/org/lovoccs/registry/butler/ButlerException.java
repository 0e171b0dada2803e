package org.lovoccs.registry.butler;

/** A butler request that cannot be done, with the HTTP status that says why and a message for the user. */
public class ButlerException extends RuntimeException {

    private final int status;

    public ButlerException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ButlerException notFound(String message) {
        return new ButlerException(404, message);
    }

    public static ButlerException badRequest(String message) {
        return new ButlerException(400, message);
    }

    public static ButlerException conflict(String message) {
        return new ButlerException(409, message);
    }
}
