package com.example;

/**
 * Clients in a static field, built when JUnit first constructs the class, and never closed: what many suites do.
 */
abstract class StaticFieldClients extends SessionChecks {
    private static final Clients CLIENTS = Clients.fromDefaultChains();

    @Override
    Clients clients() {
        return CLIENTS;
    }
}
