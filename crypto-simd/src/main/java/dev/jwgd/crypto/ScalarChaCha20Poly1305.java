package dev.jwgd.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * ChaCha20-Poly1305 (RFC 8439 §2.8) in plain Java: the reference and test oracle for the vector implementation.
 * Each thread gets its own Poly1305 state and an off-heap slot for the one-time key, wiped after every packet.
 */
public final class ScalarChaCha20Poly1305 extends PacketByPacketAead {
    private static final class Scratch {
        final Poly1305 poly = new Poly1305();
        final MemorySegment oneTimeKey = Arena.ofAuto().allocate(64, 64);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    void sealPacket(MemorySegment key, int n0, long n12, MemorySegment aad, MemorySegment data, long offset,
                             int length) {
        Scratch s = SCRATCH.get();
        ChaCha20.block(key, 0, n0, n12, 0, s.oneTimeKey, 0);
        ChaCha20.xor(key, 0, n0, n12, 1, data, offset, length);
        Poly1305 poly = s.poly;
        poly.init(s.oneTimeKey, 0);
        long aadLength = aad == null ? 0 : aad.byteSize();
        if (aadLength > 0) {
            poly.padded(aad, 0, aadLength);
        }
        poly.padded(data, offset, length);
        poly.lengths(aadLength, length);
        poly.finish();
        poly.writeTag(data, offset + length);
        poly.wipe();
        s.oneTimeKey.fill((byte) 0);
    }

    @Override
    boolean openPacket(MemorySegment key, int n0, long n12, MemorySegment aad, MemorySegment data,
                                long offset, int lengthWithTag) {
        if (lengthWithTag < TAG_LENGTH) {
            return false;
        }
        int length = lengthWithTag - TAG_LENGTH;
        Scratch s = SCRATCH.get();
        ChaCha20.block(key, 0, n0, n12, 0, s.oneTimeKey, 0);
        Poly1305 poly = s.poly;
        poly.init(s.oneTimeKey, 0);
        s.oneTimeKey.fill((byte) 0);
        long aadLength = aad == null ? 0 : aad.byteSize();
        if (aadLength > 0) {
            poly.padded(aad, 0, aadLength);
        }
        poly.padded(data, offset, length);
        poly.lengths(aadLength, length);
        poly.finish();
        boolean good = poly.tagEquals(data, offset + length);
        poly.wipe();
        if (good) {
            ChaCha20.xor(key, 0, n0, n12, 1, data, offset, length);
        }
        return good;
    }
}
