package dev.jwgd.uapi;

/**
 * What a WireGuard interface offers to the UAPI ({@link UapiServer}): a consistent snapshot for {@code get} and the
 * application of a parsed {@code set}.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>{@link #snapshot()} returns the state at one moment; the private key in it is the clamped key last set.
 *     {@code listenPort} is the port really bound; {@code endpoint} is the peer's address in use;
 *     {@code rx/txBytes} count UDP payload bytes including handshakes; {@code lastHandshake*} is Unix-epoch time.</li>
 * <li>{@link #apply(SetRequest)} applies the operations in order with the protocol's meaning. The simplest correct
 *     implementation is {@code request.applyTo(this)} on a device that also implements {@link ConfigurableDevice}:
 *     {@link SetRequest#applyTo} holds the semantics (own key ignored, remove, update_only, moves of allowed IPs,
 *     the keepalive at once when persistent keepalive is turned on).</li>
 * <li><b>No rollback:</b> on the first failing operation {@code apply} throws a {@link UapiException} with the
 *     errno to answer (EINVAL for values the device rejects, EADDRINUSE when the port or fwmark cannot be applied,
 *     ENOMEM for resource limits) and leaves every operation before it applied.</li>
 * <li>The server never runs two {@code apply} calls at once, nor {@code snapshot} during {@code apply}
 *     (a read/write lock like wireguard-go's {@code ipcMutex}); several {@code snapshot} calls may run at once.
 *     The device's data-path threads still run concurrently with both.</li>
 * <li>Any other exception from {@code apply} or {@code snapshot} is a bug: the server answers EIO and logs it.</li>
 * </ul>
 */
public interface UapiDevice {

    DeviceSnapshot snapshot();

    void apply(SetRequest request) throws UapiException;
}
