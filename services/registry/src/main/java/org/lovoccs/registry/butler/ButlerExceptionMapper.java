package org.lovoccs.registry.butler;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns a {@link ButlerException} into its status with {@code {"error": message}}. */
@Provider
public class ButlerExceptionMapper implements ExceptionMapper<ButlerException> {

    /** The JSON error body. */
    public record ErrorBody(String error) {
    }

    @Override
    public Response toResponse(ButlerException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(e.getMessage()))
                .build();
    }
}
