package dev.jwgd.cookie;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.XChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** XChaCha20-Poly1305 for cookie replies only (whitepaper 5.4.7), through BouncyCastle. */
final class Xaead {
    private Xaead() {}

    static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] aad) {
        XChaCha20Poly1305 c = new XChaCha20Poly1305();
        c.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[c.getOutputSize(plaintext.length)];
        int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("sealing cannot fail", e);
        }
        return out;
    }

    /** Null when the tag does not verify. */
    static byte[] open(byte[] key, byte[] nonce, byte[] ciphertext, byte[] aad) {
        XChaCha20Poly1305 c = new XChaCha20Poly1305();
        c.init(false, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[c.getOutputSize(ciphertext.length)];
        int n = c.processBytes(ciphertext, 0, ciphertext.length, out, 0);
        try {
            c.doFinal(out, n);
            return out;
        } catch (InvalidCipherTextException e) {
            java.util.Arrays.fill(out, (byte) 0);
            return null;
        }
    }
}
