/**
 * The typed, immutable configuration of {@code coffer serve}: one table of settings
 * ({@link dev.coffer.gateway.config.ServeSetting}: option, config-file key, environment variable,
 * default), the layering of command line, environment, config file and defaults, and the validation
 * that turns raw strings into a {@link dev.coffer.gateway.config.ServeConfig} once, at start-up.
 * Nothing here starts anything or touches the network beyond resolving {@code --bind}.
 */
package dev.coffer.gateway.config;
