/**
 * The {@code coffer} command line (picocli): the top command, {@code serve} and {@code version}, the
 * mapping of exceptions to exit codes (0 ok, 1 runtime failure, 2 usage or configuration error) and
 * everything {@code serve} prints for the user on stdout.
 */
package dev.coffer.gateway.cli;
