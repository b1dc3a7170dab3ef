/**
 * The cross-platform userspace configuration protocol (UAPI, https://www.wireguard.com/xplatform/) as the real
 * {@code wg} and {@code wg-quick} speak it, byte for byte with wireguard-go.
 *
 * <ul>
 * <li>{@link dev.jwgd.uapi.UapiServer}: the {@code /var/run/wireguard/IFACE.sock} socket and its life;
 *     {@link dev.jwgd.uapi.UapiSession}: the line protocol on one connection, errno signs, bounds;
 *     {@link dev.jwgd.uapi.UapiClient}: the client side, for {@code jwgd setconf/addconf}.</li>
 * <li>{@link dev.jwgd.uapi.SetRequestParser} turns a {@code set=1} body into a {@link dev.jwgd.uapi.SetRequest} of
 *     typed {@link dev.jwgd.uapi.SetOperation}s; {@link dev.jwgd.uapi.SetRequest#applyTo} gives them their meaning on
 *     a {@link dev.jwgd.uapi.ConfigurableDevice}; {@link dev.jwgd.uapi.GetResponse} formats a
 *     {@link dev.jwgd.uapi.DeviceSnapshot} for {@code get=1}.</li>
 * <li>{@link dev.jwgd.uapi.UapiDevice} is what a device implements; its Javadoc is the contract.</li>
 * <li>Text forms shared with the config parser: {@link dev.jwgd.ip.IpPrefix}, {@link dev.jwgd.ip.IpAddressText},
 *     {@link dev.jwgd.uapi.EndpointCandidate} (jwgd's several endpoints per peer travel as the extension key
 *     {@code endpoint_candidates}).</li>
 * </ul>
 */
package dev.jwgd.uapi;
