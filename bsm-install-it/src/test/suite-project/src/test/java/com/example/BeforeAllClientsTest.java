package com.example;

/** Run by Surefire (forkCount=3). */
class BeforeAllClientsTest extends BeforeAllClients {
}
