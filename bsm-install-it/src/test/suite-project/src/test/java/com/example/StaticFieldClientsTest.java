package com.example;

/** Run by Surefire (forkCount=3). */
class StaticFieldClientsTest extends StaticFieldClients {
}
