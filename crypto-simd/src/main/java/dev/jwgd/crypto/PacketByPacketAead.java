package dev.jwgd.crypto;

import java.lang.foreign.MemorySegment;

/**
 * An {@link Aead} that handles one packet at a time: the argument checks, the two nonce forms and the batch
 * loops, shared by the scalar and the JDK implementations. Subclasses supply the per-packet seal and open with
 * the nonce split as RFC 8439 lays it out: a 32-bit word {@code n0}, then 64 bits {@code n12} (WireGuard's
 * nonce is {@code n0 = 0}, {@code n12 = counter}).
 */
abstract class PacketByPacketAead implements Aead {

    /** Seals one checked packet in place and writes its tag after it. */
    abstract void sealPacket(MemorySegment key, int n0, long n12, MemorySegment aad, MemorySegment data, long offset,
                             int length);

    /** Opens one checked packet in place; false, with the buffer untouched, when the tag does not match. */
    abstract boolean openPacket(MemorySegment key, int n0, long n12, MemorySegment aad, MemorySegment data,
                                long offset, int lengthWithTag);

    @Override
    public final void seal(MemorySegment key, long counter, MemorySegment aad, MemorySegment data, long offset,
                           int length) {
        AeadBounds.checkKey(key);
        AeadBounds.checkData(data, offset, length);
        sealPacket(key, 0, counter, aad, data, offset, length);
    }

    @Override
    public final boolean open(MemorySegment key, long counter, MemorySegment aad, MemorySegment data, long offset,
                              int lengthWithTag) {
        AeadBounds.checkKey(key);
        AeadBounds.checkSealed(data, offset, lengthWithTag);
        return openPacket(key, 0, counter, aad, data, offset, lengthWithTag);
    }

    @Override
    public final void seal(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment data, long offset,
                           int length) {
        AeadBounds.checkKey(key);
        AeadBounds.checkNonce(nonce);
        AeadBounds.checkData(data, offset, length);
        sealPacket(key, nonce.get(LittleEndian.INT, 0), nonce.get(LittleEndian.LONG, 4), aad, data, offset, length);
    }

    @Override
    public final boolean open(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment data,
                              long offset, int lengthWithTag) {
        AeadBounds.checkKey(key);
        AeadBounds.checkNonce(nonce);
        AeadBounds.checkSealed(data, offset, lengthWithTag);
        return openPacket(key, nonce.get(LittleEndian.INT, 0), nonce.get(LittleEndian.LONG, 4), aad, data, offset,
                lengthWithTag);
    }

    @Override
    public final void sealBatch(AeadBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            AeadBounds.checkData(batch.data(i), batch.offset(i), batch.length(i));
        }
        for (int i = 0; i < batch.size(); i++) {
            sealPacket(batch.key(i), batch.nonce0(i), batch.nonce12(i), batch.aad(i), batch.data(i), batch.offset(i),
                    batch.length(i));
            batch.setOk(i, true);
        }
    }

    @Override
    public final void openBatch(AeadBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            batch.setOk(i, openPacket(batch.key(i), batch.nonce0(i), batch.nonce12(i), batch.aad(i), batch.data(i),
                    batch.offset(i), batch.length(i)));
        }
    }
}
