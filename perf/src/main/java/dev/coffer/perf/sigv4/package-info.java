/**
 * JMH benchmark of SigV4 verification: signed S3 requests through {@code SigV4Verifier} with the real
 * identity store, beside the raw HMAC-SHA256 chain in the same run. Run by {@code scripts/bench-crypto.sh}.
 */
package dev.coffer.perf.sigv4;
