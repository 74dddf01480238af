/**
 * JMH benchmark of NBD transmission-phase request decoding through Coffer's decoder, beside a raw read
 * of the same header fields in the same run. Run by {@code scripts/bench-crypto.sh}.
 */
package dev.coffer.perf.nbd;
