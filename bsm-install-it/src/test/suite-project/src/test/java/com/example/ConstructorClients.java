package com.example;

import org.junit.jupiter.api.AfterEach;

/** Clients built in the constructor (a test instance per method). */
abstract class ConstructorClients extends SessionChecks {
    private final Clients clients;

    ConstructorClients() {
        clients = Clients.fromDefaultChains();
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Override
    Clients clients() {
        return clients;
    }
}
