/**
 * The {@code coffer} command line (picocli): the top command, {@code serve}, {@code admin} (IAM over
 * the running gateway), {@code audit} (lookup, verify, public-key) and {@code version}, the
 * mapping of exceptions to exit codes (0 ok, 1 runtime failure, 2 usage or configuration error) and
 * everything {@code serve} prints for the user on stdout.
 */
package dev.coffer.gateway.cli;
