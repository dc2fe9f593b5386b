/**
 * JMH benchmarks and plain harnesses that measure servicetoken next to Google's, Azure's and AWS's token caches in
 * one JVM run. Not published; see {@code docs/BENCHMARKS.md} for the command and the results.
 */
@NullMarked
package io.servicetoken.benchmarks;

import org.jspecify.annotations.NullMarked;
