package com.example;

/** Run by Surefire (forkCount=2). */
class StaticFieldClientsTest extends StaticFieldClients {
}
