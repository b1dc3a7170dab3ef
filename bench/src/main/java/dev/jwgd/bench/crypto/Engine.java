package dev.jwgd.bench.crypto;

import dev.jwgd.crypto.Aead;
import dev.jwgd.crypto.AeadBatch;
import dev.jwgd.crypto.AeadProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One implementation set up to seal or open {@code packets} packets of {@code size} bytes per benchmark operation,
 * each with WireGuard's nonce (4 zero bytes, little-endian counter) and no AAD. jwgd works in place on off-heap
 * segments; the JDK and BouncyCastle on byte arrays, out of place, as their users would.
 */
abstract class Engine {
    final int size;
    final int packets;

    Engine(int size, int packets) {
        this.size = size;
        this.packets = packets;
    }

    abstract int seal();

    abstract int open();

    static Engine create(String impl, int size, int packets) {
        return switch (impl) {
            case "jwgd-vector" -> {
                Aead best = AeadProvider.best();
                if (!best.name().startsWith("vector-")) {
                    throw new IllegalStateException("the vector implementation was not chosen: "
                            + AeadProvider.bestChoice().reason());
                }
                yield new Jwgd(best, size, packets);
            }
            case "jwgd-scalar" -> new Jwgd(AeadProvider.scalar(), size, packets);
            case "jdk" -> new Jdk(size, packets);
            case "bouncycastle" -> new BouncyCastle(size, packets);
            default -> throw new IllegalArgumentException("unknown implementation " + impl);
        };
    }

    static byte[] nonce(long counter) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (8 * i));
        }
        return n;
    }

    static final class Jwgd extends Engine {
        private final Aead aead;
        private final long slot;
        private final MemorySegment key, pool, sealed;
        private final AeadBatch batch;
        private long counter;

        Jwgd(Aead aead, int size, int packets) {
            super(size, packets);
            this.aead = aead;
            Arena arena = Arena.ofAuto();
            slot = (size + 16 + 63) & ~63L;
            key = arena.allocate(32);
            key.fill((byte) 0x5c);
            pool = arena.allocate(slot * packets, 64);
            sealed = arena.allocate(slot * packets, 64);
            batch = new AeadBatch(packets);
            for (int i = 0; i < packets; i++) {
                aead.seal(key, i, MemorySegment.NULL, sealed, i * slot, size);
            }
        }

        @Override
        int seal() {
            if (packets == 1) {
                aead.seal(key, counter++, MemorySegment.NULL, pool, 0, size);
            } else {
                batch.clear();
                for (int i = 0; i < packets; i++) {
                    batch.add(key, counter++, pool, i * slot, size);
                }
                aead.sealBatch(batch);
            }
            return pool.get(ValueLayout.JAVA_BYTE, size);
        }

        /** Opens fresh copies of the pre-sealed packets (the copy is part of the measured work). */
        @Override
        int open() {
            MemorySegment.copy(sealed, 0, pool, 0, slot * packets);
            if (packets == 1) {
                return aead.open(key, 0, MemorySegment.NULL, pool, 0, size + 16) ? 1 : 0;
            }
            batch.clear();
            for (int i = 0; i < packets; i++) {
                batch.add(key, i, pool, i * slot, size + 16);
            }
            aead.openBatch(batch);
            return batch.failures();
        }
    }

    static final class Jdk extends Engine {
        private final Cipher cipher;
        private final SecretKeySpec key;
        private final byte[] in, out;
        private final byte[][] sealed;
        private long counter = 1_000_000;

        Jdk(int size, int packets) {
            super(size, packets);
            try {
                cipher = Cipher.getInstance("ChaCha20-Poly1305");
                key = new SecretKeySpec(new byte[32], "ChaCha20");
                in = new byte[size];
                out = new byte[size + 16];
                // Open rotates over distinct pre-sealed packets: the JDK refuses to reuse a nonce when encrypting.
                sealed = new byte[Math.max(packets, 16)][];
                for (int i = 0; i < sealed.length; i++) {
                    cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce(i)));
                    sealed[i] = cipher.doFinal(in);
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        int seal() {
            try {
                for (int i = 0; i < packets; i++) {
                    cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce(counter++)));
                    cipher.doFinal(in, 0, size, out, 0);
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            return out[size];
        }

        private int next;

        @Override
        int open() {
            try {
                for (int i = 0; i < packets; i++) {
                    int n = next++ % sealed.length;
                    cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce(n)));
                    cipher.doFinal(sealed[n], 0, size + 16, out, 0);
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            return out[0];
        }
    }

    static final class BouncyCastle extends Engine {
        private final ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
        private final KeyParameter key = new KeyParameter(new byte[32]);
        private final byte[] in, out;
        private final byte[][] sealed;
        private long counter = 1_000_000;
        private int next;

        BouncyCastle(int size, int packets) {
            super(size, packets);
            in = new byte[size];
            out = new byte[size + 16];
            sealed = new byte[Math.max(packets, 16)][];
            for (int i = 0; i < sealed.length; i++) {
                cipher.init(true, new AEADParameters(key, 128, nonce(i)));
                sealed[i] = new byte[size + 16];
                int n = cipher.processBytes(in, 0, size, sealed[i], 0);
                try {
                    cipher.doFinal(sealed[i], n);
                } catch (InvalidCipherTextException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        int seal() {
            try {
                for (int i = 0; i < packets; i++) {
                    cipher.init(true, new AEADParameters(key, 128, nonce(counter++)));
                    int n = cipher.processBytes(in, 0, size, out, 0);
                    cipher.doFinal(out, n);
                }
            } catch (InvalidCipherTextException e) {
                throw new IllegalStateException(e);
            }
            return out[size];
        }

        @Override
        int open() {
            try {
                for (int i = 0; i < packets; i++) {
                    int s = next++ % sealed.length;
                    cipher.init(false, new AEADParameters(key, 128, nonce(s)));
                    int n = cipher.processBytes(sealed[s], 0, size + 16, out, 0);
                    cipher.doFinal(out, n);
                }
            } catch (InvalidCipherTextException e) {
                throw new IllegalStateException(e);
            }
            return out[0];
        }
    }
}
