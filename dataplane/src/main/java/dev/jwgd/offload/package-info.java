/**
 * TUN offloads in software, over MemorySegments and without I/O: the Internet checksum (RFC 1071,
 * scalar and Vector API), cutting TSO/USO super-packets read from a TUN with {@code IFF_VNET_HDR} into
 * packets ({@link dev.jwgd.offload.Segmenter}), and merging received TCP segments and UDP datagrams into
 * super-packets for the TUN write ({@link dev.jwgd.offload.TcpCoalescer},
 * {@link dev.jwgd.offload.UdpCoalescer}). wireguard-go's {@code tun/offload_linux.go} and
 * {@code tun/checksum.go} do the same; linux-ffm.md 1.2 has the {@code virtio_net_hdr} rules.
 * {@code dev.jwgd.pipeline.VnetTunEnd} puts them on a real TUN.
 */
package dev.jwgd.offload;
