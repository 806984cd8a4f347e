package com.example;

/** Run by Failsafe (one fork). */
class StaticFieldClientsIT extends StaticFieldClients {
}
