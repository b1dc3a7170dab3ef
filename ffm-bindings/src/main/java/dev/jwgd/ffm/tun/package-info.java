/**
 * TUN devices through Panama FFM (linux-ffm.md 1): constants of {@code <linux/if_tun.h>} and
 * {@code <linux/virtio_net.h>} ({@link dev.jwgd.ffm.tun.if_tun_h}, ioctl numbers hand-computed with their
 * {@code _IOW/_IOR} macro in a comment), the structs {@link dev.jwgd.ffm.tun.ifreq} and
 * {@link dev.jwgd.ffm.tun.virtio_net_hdr} in jextract's shape (checked against gcc by
 * {@code TunLayoutsTest}), and {@link dev.jwgd.ffm.tun.TunDevice}: one queue of a device, created or
 * attached by name, with offloads, vnet header size and packet I/O that returns counts or -errno.
 */
package dev.jwgd.ffm.tun;
