package com.example;

/** Run by Failsafe (one fork). */
class ConstructorClientsIT extends ConstructorClients {
}
