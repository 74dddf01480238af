/** JMH microbenchmarks for the hot paths, and (later) the end-to-end load driver. */
package dev.coffer.perf;
