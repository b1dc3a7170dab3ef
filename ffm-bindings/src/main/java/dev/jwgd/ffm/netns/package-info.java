/**
 * Network namespaces (linux-ffm.md 5): {@link dev.jwgd.ffm.netns.sched_h} constants and
 * {@link dev.jwgd.ffm.netns.NetNamespace}, which runs a task (open a TUN, create a socket) on a
 * dedicated platform thread switched into a namespace, so descriptors are born there while no
 * other thread ever changes namespace.
 */
package dev.jwgd.ffm.netns;
