package org.lovoccs.objectstore;

/** An object-store operation failed; the message names the operation, the object and the endpoint. */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
