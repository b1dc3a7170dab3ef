package dev.jwgd.crypto;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Up to {@link #capacity()} packets to seal or open in one call of {@link Aead#sealBatch} / {@link Aead#openBatch}.
 *
 * <p>Each packet has its own key, nonce, optional AAD, and bytes {@code data[offset, offset+length)}: for sealing the
 * plaintext (the tag goes right after it), for opening the ciphertext with its tag. After the call,
 * {@link #ok(int)} tells whether each packet was sealed, or authenticated and decrypted; a packet that fails to open is
 * left as it was. A batch gives byte for byte what the same packets give one by one.
 *
 * <p>Reuse one batch per worker thread: {@link #clear()}, then {@link #add} the packets. Adding allocates nothing. The
 * batch only holds references to the segments; it never copies keys.
 */
public final class AeadBatch {
    private final MemorySegment[] keys, aads, datas;
    private final long[] offsets, nonce12;
    private final int[] nonce0, lengths;
    private final boolean[] ok;
    private int size;

    public AeadBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be at least 1, got " + capacity);
        }
        keys = new MemorySegment[capacity];
        aads = new MemorySegment[capacity];
        datas = new MemorySegment[capacity];
        offsets = new long[capacity];
        nonce12 = new long[capacity];
        nonce0 = new int[capacity];
        lengths = new int[capacity];
        ok = new boolean[capacity];
    }

    /** Adds a packet with WireGuard's nonce (4 zero bytes, little-endian {@code counter}) and no AAD. */
    public int add(MemorySegment key, long counter, MemorySegment data, long offset, int length) {
        return add(key, 0, counter, MemorySegment.NULL, data, offset, length);
    }

    /** Adds a packet with WireGuard's nonce form and the given AAD ({@link MemorySegment#NULL} for none). */
    public int add(MemorySegment key, long counter, MemorySegment aad, MemorySegment data, long offset, int length) {
        return add(key, 0, counter, aad, data, offset, length);
    }

    /** Adds a packet with a general 12-byte RFC 8439 nonce at {@code nonce[0]}. */
    public int add(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment data, long offset,
                   int length) {
        AeadBounds.checkNonce(nonce);
        return add(key, nonce.get(LittleEndian.INT, 0), nonce.get(LittleEndian.LONG, 4), aad, data, offset, length);
    }

    private int add(MemorySegment key, int n0, long n12, MemorySegment aad, MemorySegment data, long offset,
                    int length) {
        if (size == keys.length) {
            throw new IllegalStateException("batch is full (" + keys.length + " packets)");
        }
        AeadBounds.checkKey(key);
        AeadBounds.checkSealed(data, offset, length);
        int i = size++;
        keys[i] = key;
        aads[i] = aad == null ? MemorySegment.NULL : aad;
        datas[i] = data;
        offsets[i] = offset;
        lengths[i] = length;
        nonce0[i] = n0;
        nonce12[i] = n12;
        ok[i] = false;
        return i;
    }

    /** Empties the batch and drops its references to the packets' segments. */
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(aads, 0, size, null);
        Arrays.fill(datas, 0, size, null);
        size = 0;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return keys.length;
    }

    /** Whether packet {@code i} was sealed, or opened (authenticated, then decrypted), by the last call. */
    public boolean ok(int i) {
        return ok[i];
    }

    /** How many packets of the last call failed (bad tag, or shorter than a tag). */
    public int failures() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            n += ok[i] ? 0 : 1;
        }
        return n;
    }

    // ---- Read by the implementations. ----

    public MemorySegment key(int i) {
        return keys[i];
    }

    public MemorySegment aad(int i) {
        return aads[i];
    }

    public MemorySegment data(int i) {
        return datas[i];
    }

    public long offset(int i) {
        return offsets[i];
    }

    /** The plaintext length (seal) or the ciphertext-plus-tag length (open). */
    public int length(int i) {
        return lengths[i];
    }

    /** Nonce bytes 0-3 as a little-endian int: 0 for WireGuard. */
    public int nonce0(int i) {
        return nonce0[i];
    }

    /** Nonce bytes 4-11 as a little-endian long: WireGuard's counter. */
    public long nonce12(int i) {
        return nonce12[i];
    }

    /** Records the outcome of packet {@code i}; called by the implementation. */
    public void setOk(int i, boolean value) {
        ok[i] = value;
    }
}
