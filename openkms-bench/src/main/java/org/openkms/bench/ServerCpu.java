package org.openkms.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * CPU time of the server process, read from Linux's {@code /proc/<pid>/stat} (utime + stime), so that the report can
 * say how much server CPU one request costs. The load generator shares the cores with the server, so req/s alone
 * mixes the two; CPU per request does not.
 *
 * <p>The process is either given ({@code --server-pid}) or found: for a loopback endpoint, the process that owns
 * the listening socket on the endpoint's port ({@code /proc/net/tcp[6]} gives the socket inode, and the owner is the
 * process with an fd linked to {@code socket:[inode]}; only processes of the same user can be inspected). A remote
 * server's CPU cannot be read from here: then {@link #find} answers null and the report says so.
 */
final class ServerCpu {
    /**
     * USER_HZ: the unit of utime/stime. It is 100 on every mainstream Linux architecture (the kernel exports it as a
     * fixed ABI value independent of CONFIG_HZ); Java cannot call sysconf(_SC_CLK_TCK) without native access.
     */
    static final long TICKS_PER_SECOND = 100;

    private static final Path PROC = Path.of("/proc");

    private final long pid;

    ServerCpu(long pid) {
        this.pid = pid;
    }

    long pid() {
        return pid;
    }

    /** The server process for a loopback endpoint, or null when it cannot be found (remote, other user, not Linux). */
    static ServerCpu find(Endpoint endpoint) {
        if (!isLoopback(endpoint.host()) || !Files.isDirectory(PROC.resolve("net"))) {
            return null;
        }
        try {
            long inode = listeningInode(endpoint.port());
            if (inode <= 0) {
                return null;
            }
            long self = ProcessHandle.current().pid();
            String target = "socket:[" + inode + "]";
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, "[0-9]*")) {
                for (Path p : procs) {
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (pid != self && ownsSocket(p, target)) {
                        return new ServerCpu(pid);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // best effort: the report then says the server's CPU was not measured
        }
        return null;
    }

    /** utime + stime of the process in nanoseconds, or -1 when it cannot be read (it exited). */
    long cpuNanos() {
        try {
            return parseStatCpuTicks(Files.readString(
                            PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII))
                    * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Fields 14 and 15 (utime, stime) of a stat line; the command name (field 2) may hold spaces and parentheses. */
    static long parseStatCpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The inode of a socket listening (state 0A) on the port, from /proc/net/tcp and tcp6; 0 when none. */
    private static long listeningInode(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("tcp", "tcp6")) {
            Path p = PROC.resolve("net").resolve(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            long inode = listeningInode(Files.readAllLines(p, StandardCharsets.US_ASCII), hexPort);
            if (inode > 0) {
                return inode;
            }
        }
        return 0;
    }

    static long listeningInode(List<String> table, String hexPort) {
        for (String line : table.subList(Math.min(1, table.size()), table.size())) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                return Long.parseLong(f[9]);
            }
        }
        return 0;
    }

    private static boolean ownsSocket(Path proc, String target) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(target)) {
                        return true;
                    }
                } catch (IOException e) {
                    // the fd closed while we looked
                }
            }
        } catch (IOException | SecurityException e) {
            return false; // another user's process
        }
        return false;
    }
}
