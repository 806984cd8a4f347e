package dev.bsm.junit5;

import java.nio.file.Path;

/**
 * Run in a child JVM: makes a snapshot directory in the temporary directory given, as a running test JVM does, says
 * its path on its output, and exits without removing it once its input ends.
 */
final class SnapshotDirectoryHolder {
    private SnapshotDirectoryHolder() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(SnapshotDirectories.create(Path.of(args[0])));
        System.out.flush();
        System.in.readAllBytes();
        Runtime.getRuntime().halt(0); // the directory stays, as a killed JVM's does
    }
}
