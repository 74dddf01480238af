/**
 * JMH benchmarks of the two stored crypto formats, each beside a raw single AES-GCM call over the same
 * bytes in the same run: the raw call is the limit, the ratio between the two is what the format
 * costs. {@code scripts/bench-crypto.sh} runs them and prints that ratio, and {@link
 * dev.coffer.perf.crypto.PairedFormatRatio}'s paired one, which a noisy machine disturbs far less.
 */
package dev.coffer.perf.crypto;
