package org.tcsim.timing;

/**
 * One MMA instruction's timing on one GPU, per SM: cycles from issue to result, cycles between
 * back-to-back issues of independent instructions, and the share of the SM's dense tensor-core
 * peak for the instruction's input type that back-to-back issue reaches.
 *
 * @param gpu          GPU name
 * @param latency      cycles from issue to a usable result
 * @param issue        cycles between issues at full throughput (the tensor pipe's occupancy, or
 *                     the operand fetch when that is longer)
 * @param peakShare    share of the SM's dense peak for this input type (0..1)
 * @param basis        what the figures rest on: a measurement, or how they are inferred
 */
public record InstructionTiming(String gpu, double latency, double issue, double peakShare, String basis) {}
