package com.example;

/** Run by Surefire (forkCount=2). */
class ConstructorClientsTest extends ConstructorClients {
}
