package org.lovoccs.registry.status;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The status pages' index: the clusters the registry knows, each linked to its page ({@code /} and {@code /ui}). */
@Path("/")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class StatusIndexResource {

    @GET
    public String root() {
        return StatusPages.INDEX_PAGE;
    }

    @GET
    @Path("ui")
    public String ui() {
        return StatusPages.INDEX_PAGE;
    }
}
