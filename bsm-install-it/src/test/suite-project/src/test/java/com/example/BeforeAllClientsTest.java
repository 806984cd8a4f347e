package com.example;

/** Run by Surefire (forkCount=2). */
class BeforeAllClientsTest extends BeforeAllClients {
}
