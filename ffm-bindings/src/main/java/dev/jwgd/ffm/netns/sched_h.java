package dev.jwgd.ffm.netns;

/** Namespace constants of {@code <sched.h>} / {@code <linux/sched.h>} used with setns(2) and unshare(2). */
public final class sched_h {
    private sched_h() {}

    public static final int CLONE_NEWNS = 0x00020000;
    public static final int CLONE_NEWUSER = 0x10000000;
    public static final int CLONE_NEWNET = 0x40000000;

    /** Where {@code ip netns add NAME} bind-mounts a namespace ({@code /var/run} links to {@code /run}). */
    public static final String NETNS_RUN_DIR = "/var/run/netns/";
    /** The calling thread's own network namespace. */
    public static final String THREAD_SELF_NET = "/proc/thread-self/ns/net";
}
