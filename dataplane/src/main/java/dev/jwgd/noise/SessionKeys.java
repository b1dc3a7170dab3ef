package dev.jwgd.noise;

/**
 * The result of a completed handshake ({@code BeginSymmetricSession}): the two transport keys, who
 * initiated, and the indices. The receiver must wipe the arrays once it has copied them.
 */
public record SessionKeys(byte[] sendKey, byte[] receiveKey, boolean initiator, int localIndex, int remoteIndex) {
    public void wipe() {
        java.util.Arrays.fill(sendKey, (byte) 0);
        java.util.Arrays.fill(receiveKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "SessionKeys[initiator=" + initiator + ", localIndex=" + Integer.toUnsignedString(localIndex)
                + ", remoteIndex=" + Integer.toUnsignedString(remoteIndex) + "]";
    }
}
