/**
 * JMH benchmarks. Each benchmark class measures one job against a baseline in the same run, so that
 * the README can report ratios that survive a change of machine.
 */
package org.tcsim.bench;
