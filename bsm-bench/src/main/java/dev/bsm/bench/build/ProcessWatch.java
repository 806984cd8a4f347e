package dev.bsm.bench.build;

import dev.bsm.bench.ProcStat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Looks at {@code /proc} every {@link #PERIOD_NANOS} (5 ms) for the processes of one build and records when each
 * {@code moto_server} and each Surefire fork was first seen running and first seen gone (Linux only).
 *
 * <p>A build's processes are the ones whose environment ({@code /proc/<pid>/environ}) holds the build's marker
 * entry: Maven gets it, and everything it starts inherits it (its forks, the lease supervisor a fork starts, the
 * watchdog and the {@code moto_server} under it), whichever parent they end up with; other builds on the machine
 * do not have it. The environment is read once per new pid, and again if a process first seen without the marker
 * less than 2 s before has exec'd since (until it execs, a new process is a copy of its parent, environment
 * included, and Maven's parent is not of the build). A process of the build is classified again whenever
 * its executable ({@code /proc/<pid>/exe}) changes, since a new process runs its parent's program until it
 * {@code exec}s its own (pyenv's {@code moto_server} shim is {@code bash} before it becomes Python), and on every
 * look while it counts as a fork (a fork's child is a copy of the fork until it execs, maybe {@code java} again:
 * the lease supervisor); a fork or an emulator whose parent is one of the same kind is such a copy, not another
 * one. What a process was at its last look is what it counts as:
 * <ul>
 *   <li>an emulator: a command line naming {@code moto_server} and an executable that is not a shell (the
 *       watchdog script and the shim name it in their arguments too);
 *   <li>a Surefire fork: the {@code java} executable and a command line naming {@code surefirebooter} (Surefire
 *       starts its forks through {@code /bin/sh -c}, whose command line names it too).
 * </ul>
 * A process is gone when its {@code /proc} entry is, when the entry belongs to a newer process of the same pid (its
 * start time differs), or when it is a zombie (exited, not yet reaped by its parent). Its exit lies between the
 * last look that saw it running ({@link Seen#lastRunningNanos}) and the first that saw it gone
 * ({@link Seen#goneNanos}); on a busy machine a look may come much later than 5 ms after the one before
 * ({@link #slowestLookNanos()}), so each figure carries that window.
 */
final class ProcessWatch implements AutoCloseable {
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How long after it was first seen a process not of the build is watched for an exec into one of it. */
    private static final long YOUNG_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Path PROC = Path.of("/proc");

    enum Kind { EMULATOR, FORK, OTHER }

    /** A process of the build: pid and kernel start time identify it; times are {@link System#nanoTime()}. */
    static final class Seen {
        final long pid;
        final String startTime;
        /** The parent when first seen: a process that is a copy of its parent has this parent. */
        final long parentPid;
        volatile Kind kind = Kind.OTHER;
        volatile String commandLine = "";
        volatile String executable = "";
        final long firstSeenNanos;
        volatile long lastRunningNanos;
        volatile long goneNanos; // 0 while running

        Seen(long pid, String startTime, long parentPid, long firstSeenNanos) {
            this.pid = pid;
            this.startTime = startTime;
            this.parentPid = parentPid;
            this.firstSeenNanos = firstSeenNanos;
            this.lastRunningNanos = firstSeenNanos;
        }

        boolean gone() {
            return goneNanos != 0;
        }
    }

    private final byte[] marker;
    private final Thread thread;
    private final List<Seen> marked = new ArrayList<>(); // guarded by this
    private final Map<Long, Unmarked> unmarked = new HashMap<>(); // by pid; only the watch thread
    private final Map<Long, Seen> byPid = new HashMap<>(); // the build's processes, newest by pid; the watch thread
    private volatile boolean stopped;
    private volatile long looks;
    private volatile long slowestLookNanos;
    private volatile RuntimeException failure;

    private ProcessWatch(String entry) {
        this.marker = ("\0" + entry + "\0").getBytes(StandardCharsets.ISO_8859_1);
        this.thread = new Thread(this::watch, "process-watch");
        thread.setDaemon(true);
    }

    /** Whether this machine shows processes' environments and states as {@code /proc} does on Linux. */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self/environ")) && Files.isReadable(PROC.resolve("self/stat"));
    }

    /** Starts looking for the processes whose environment holds {@code entry} ({@code NAME=value}). */
    static ProcessWatch start(String entry) {
        ProcessWatch watch = new ProcessWatch(entry);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        long previous = System.nanoTime();
        try {
            while (!stopped) {
                long now = System.nanoTime();
                look(now);
                looks++;
                slowestLookNanos = Math.max(slowestLookNanos, System.nanoTime() - previous);
                previous = now;
                LockSupport.parkNanos(PERIOD_NANOS - (System.nanoTime() - now));
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void look(long now) {
        String[] names = PROC.toFile().list();
        if (names == null) {
            throw new IllegalStateException("cannot list " + PROC);
        }
        Set<Long> known = new HashSet<>();
        synchronized (this) {
            for (Seen seen : marked) {
                if (seen.gone()) {
                    continue;
                }
                ProcStat stat = ProcStat.of(seen.pid).orElse(null);
                if (stat == null || !stat.startTime().equals(seen.startTime) || stat.exited()) {
                    seen.goneNanos = now;
                    continue;
                }
                known.add(seen.pid);
                seen.lastRunningNanos = now;
                // A fork's child runs a copy of the fork (java, the same command line) until it execs its own
                // program, which may be java again (the lease supervisor): a fork's command line is read each look.
                if (seen.kind == Kind.FORK || !executable(seen.pid).equals(seen.executable)) {
                    classify(seen);
                }
            }
        }
        Set<Long> present = new HashSet<>();
        for (String name : names) {
            if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                continue;
            }
            long pid = Long.parseLong(name);
            present.add(pid);
            if (known.contains(pid)) {
                continue;
            }
            Unmarked before = unmarked.get(pid);
            if (before != null) {
                // A new process is a copy of its parent, environment included, until it execs: one first seen
                // then (its parent not of the build, as Maven's own launcher) is looked at again once it has.
                if (now - before.firstSeenNanos > YOUNG_NANOS || executable(pid).equals(before.executable)) {
                    continue;
                }
            }
            ProcStat stat = ProcStat.of(pid).orElse(null);
            if (stat == null || stat.exited()) {
                continue;
            }
            String executable = executable(pid);
            if (carriesMarker(pid)) {
                unmarked.remove(pid);
                Seen seen = new Seen(pid, stat.startTime(), stat.parentPid(), now);
                classify(seen);
                synchronized (this) {
                    marked.add(seen);
                }
                byPid.put(pid, seen);
            } else {
                unmarked.put(pid, new Unmarked(before == null ? now : before.firstSeenNanos, executable));
            }
        }
        unmarked.keySet().retainAll(present);
    }

    private boolean carriesMarker(long pid) {
        byte[] environment = read(pid, "environ");
        if (environment == null) {
            return false;
        }
        // The first entry has no NUL before it: look in "\0" + environment.
        outer:
        for (int i = -1; i + marker.length <= environment.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                byte b = i + j < 0 ? 0 : environment[i + j];
                if (b != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void classify(Seen seen) {
        String executable = executable(seen.pid);
        byte[] raw = read(seen.pid, "cmdline");
        String commandLine = raw == null ? "" : new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        if (executable.isEmpty() || commandLine.isEmpty()) {
            // Gone, or exiting (its memory, and so its command line, released before it is a zombie): what it was
            // at the look before is what it was.
            return;
        }
        String program = executable.substring(executable.lastIndexOf('/') + 1);
        boolean shell = program.matches("(ba|da|z)?sh");
        seen.commandLine = commandLine;
        seen.executable = executable;
        Kind kind = commandLine.contains("moto_server") && !shell ? Kind.EMULATOR
                : program.equals("java") && commandLine.contains("surefirebooter") ? Kind.FORK : Kind.OTHER;
        // A child that has not exec'd yet (or exits before it does: a fork's short-lived helper) runs its parent's
        // program with its parent's command line: a copy of an emulator or a fork, not another one.
        Seen parent = byPid.get(seen.parentPid);
        if (kind != Kind.OTHER && parent != null && parent.kind == kind) {
            kind = Kind.OTHER;
        }
        seen.kind = kind;
    }

    /** {@return the path of the process's executable, or "" if it cannot be read} */
    private static String executable(long pid) {
        try {
            return Files.readSymbolicLink(PROC.resolve(pid + "/exe")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "";
        }
    }

    private static byte[] read(long pid, String file) {
        try {
            return Files.readAllBytes(PROC.resolve(pid + "/" + file));
        } catch (IOException | SecurityException e) {
            return null; // gone already, or another user's
        }
    }

    /** The build's processes seen so far, of one kind. */
    synchronized List<Seen> seen(Kind kind) {
        return marked.stream().filter(s -> s.kind == kind).toList();
    }

    /** {@return whether every process of the build seen so far is gone} */
    synchronized boolean allGone() {
        return marked.stream().allMatch(Seen::gone);
    }

    /** {@return the most emulators of the build that ran at once} */
    synchronized int mostEmulatorsAtOnce() {
        List<Seen> emulators = seen(Kind.EMULATOR);
        int most = 0;
        for (Seen at : emulators) {
            long t = at.firstSeenNanos;
            most = Math.max(most, (int) emulators.stream()
                    .filter(s -> s.firstSeenNanos <= t && (!s.gone() || s.goneNanos > t)).count());
        }
        return most;
    }

    /** {@return the longest time between the starts of two looks, or of the first look and the watch} */
    long slowestLookNanos() {
        return slowestLookNanos;
    }

    long looks() {
        return looks;
    }

    /** Every process of the build seen, as a message shows it: {@code pid kind command line}. */
    synchronized Map<Long, String> describe() {
        Map<Long, String> all = new HashMap<>();
        marked.forEach(s -> all.put(s.pid, s.kind + (s.gone() ? "" : " (running)") + " " + s.commandLine));
        return all;
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A process seen without the marker: when it was first seen and the executable it then ran. */
    private record Unmarked(long firstSeenNanos, String executable) {
    }
}
