/** Twenty services through one manager beside hand-built clients: connections, classes, time. */
package dev.bsm.bench.manyservices;
