package dev.coffer.gateway.admin;

/**
 * Answers GET and HEAD of one admin path. Runs on the admin executor, never on an event loop, so it
 * may do work proportional to the process's state (walking every meter, running health checks).
 */
@FunctionalInterface
public interface AdminEndpoint {
    AdminResponse respond();
}
