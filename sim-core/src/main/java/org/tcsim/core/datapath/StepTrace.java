package org.tcsim.core.datapath;

/**
 * What one BFMA step did, for explaining a result: the largest exponent found, the weight of the
 * adder's last bit, the integer sum, whether alignment dropped any bit, and the code it produced.
 *
 * @param step index of the step (0 for the first {@code productsPerStep} products)
 * @param largestExponent the exponent all terms were aligned to
 * @param quantumExponent the exponent of the adder's last bit (largestExponent - alignmentBits)
 * @param alignedSum the signed integer sum of the aligned terms, in units of 2^quantumExponent
 *     (0 when the step summed exactly in wide arithmetic; see {@code exactPath})
 * @param alignmentLostBits whether any term lost non-zero bits to alignment
 * @param exactPath whether the step summed without loss (EXACT alignment, or C joined after)
 * @param resultCode the step's result in the output format
 */
public record StepTrace(int step, int largestExponent, int quantumExponent, long alignedSum,
    boolean alignmentLostBits, boolean exactPath, int resultCode) {}
