package com.example;

/** Run by Failsafe (one fork). */
class BeforeAllClientsIT extends BeforeAllClients {
}
