package org.lovoccs.rawcheck;

/**
 * check_raws refused a file. {@code problem} is a stable code (NOT_FITS, TRUNCATED, MISSING_KEYWORD,
 * BAD_KEYWORD, UNREADABLE); the message names the HDU and keyword where there is one.
 */
public class RawRejected extends Exception {
    private final String problem;

    public RawRejected(String problem, String reason) {
        super(reason);
        this.problem = problem;
    }

    public String problem() {
        return problem;
    }
}
