/**
 * The gateway: the composition root of Coffer and the {@code coffer} command. Only this module
 * depends on all the others, and nothing depends on it (see LayeringTest).
 */
package dev.coffer.gateway;
