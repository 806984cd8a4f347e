package com.example;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Clients built once in {@code @BeforeAll}. */
abstract class BeforeAllClients extends SessionChecks {
    private static Clients clients;

    @BeforeAll
    static void buildClients() {
        clients = Clients.fromDefaultChains();
    }

    @AfterAll
    static void closeClients() {
        clients.close();
    }

    @Override
    Clients clients() {
        return clients;
    }
}
