/**
 * Test-only fixtures for LayeringTest: classes that pose as crypto-core code, one that breaks the
 * JDK-only rule and one that keeps it, to prove the rule bites and does not over-fire. They live in
 * gateway's test sources, which the main layering check does not import.
 */
package dev.coffer.crypto.archfixture;
