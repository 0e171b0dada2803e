package org.lovoccs.simulator.instrument;

/**
 * One line of DECam's crosstalk table: the signal of the source amplifier leaks into the victim amplifier as
 * {@code victim += coefficient * source} (both in ADU above bias, at the same readout position).
 *
 * @param victimCcd      CCDNUM of the victim
 * @param victimAmp      victim amplifier (A or B)
 * @param sourceCcd      CCDNUM of the source
 * @param sourceAmp      source amplifier (A or B)
 * @param coefficient    linear coefficient x (dimensionless)
 * @param error          its uncertainty
 * @param nonlinearOnset source level (ADU) above which the table's polynomial applies (1e10 = never)
 * @param polynomial     the table's polynomial coefficients p_1..p_n for sources above the onset; parsed but not used
 *                       by the simulation
 */
public record CrosstalkTerm(int victimCcd, String victimAmp, int sourceCcd, String sourceAmp, double coefficient,
                            double error, double nonlinearOnset, double[] polynomial) {

    public CrosstalkTerm {
        polynomial = polynomial.clone();
    }

    /** True when source and victim are amplifiers of the same CCD. */
    public boolean isIntraCcd() {
        return victimCcd == sourceCcd;
    }
}
