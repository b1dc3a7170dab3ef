package dev.jwgd.crypto.vector;

import dev.jwgd.crypto.Aead;
import dev.jwgd.crypto.AeadBatch;
import dev.jwgd.crypto.AeadBounds;
import dev.jwgd.crypto.LittleEndian;
import dev.jwgd.crypto.Poly1305;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.IntVector;

/**
 * ChaCha20-Poly1305 (RFC 8439 §2.8) on the Vector API, for one packet or a batch.
 *
 * <p>ChaCha20: the batch is flattened into (packet, block) items, block 0 of each packet being its Poly1305 key; each
 * kernel call computes up to 16 (512-bit), 8 (256-bit) or 4 (128-bit) items at once (crypto.md §4.2 strategy C), so
 * short packets share a call. Poly1305: an 8-, 4- or 2-way vector kernel for
 * the bulk of a packet of {@value #VECTOR_POLY_MIN} bytes or more, the scalar code for the rest (crypto.md §5.2); in a
 * batch, shorter packets are authenticated 8, 4 or 2 at a time, one packet per lane with its own key
 * ({@code Poly1305LanesV*}).
 *
 * <p>Seal encrypts, then authenticates. Open computes every Poly1305 key, checks every tag in constant time, and
 * decrypts only the packets whose tag checked: a forged packet is never decrypted. All per-call state (key table, key
 * stream, one-time keys, Poly1305 powers) lives in per-thread scratch, off-heap except the kernels' small input
 * table, and is wiped before each call returns.
 * Nothing is allocated per call once the thread's scratch exists.
 *
 * <p>The kernels only ever see off-heap segments: a packet whose key or data is on the heap (the handshake's
 * messages, a packet staged before its session existed) is copied to per-thread off-heap scratch, handled there, copied
 * back, and the scratch wiped. The Vector API's memory access methods are shared by every caller, so a single heap
 * segment reaching a kernel makes their type profiles polymorphic; C2 then recompiles the kernels, and the recompiled
 * Poly1305 kernel leaves some vector operations as virtual calls that box every vector (measured in PipelineBenchmark,
 * whose setup stages one heap packet: 116 KB allocated per 1420 B packet and 20 times slower).
 */
public final class VectorChaCha20Poly1305 implements Aead {
    /** Packets handled per round of the batch loop: bounds the scratch for one-time keys. */
    private static final int CHUNK_PACKETS = 64;
    /** Below this many bytes of ciphertext, scalar Poly1305 beats computing r^2..r^k for the vector kernel. */
    static final int VECTOR_POLY_MIN = 256;
    /**
     * At most this many Poly1305 blocks (AAD, ciphertext, lengths) for a packet to share the one-packet-per-lane
     * kernel: ciphertext below {@value #VECTOR_POLY_MIN} bytes with up to 48 bytes of AAD.
     */
    static final int MAX_LANE_STEPS = 20;
    /** Limb 4's share of a block's 2^128 bit (RFC 8439 §2.5.1: every AEAD block gets it). */
    private static final long PAD = 1L << 24;

    private static final int SEAL = 0, KEYS = 1, DECRYPT = 2;

    private static final class Scratch {
        final Arena arena = Arena.ofAuto();
        // The kernels' input: 16 rows of 16 lanes. On the heap because filling it lane by lane is a third of the
        // cost of a small packet through a segment's bounds checks; it holds key words only during a call.
        final int[] table = new int[256];
        boolean tableUsed;
        final MemorySegment keyStream = arena.allocate(1024, 64);
        final MemorySegment oneTimeKeys = arena.allocate(CHUNK_PACKETS * 32L, 64);
        final long[] polyState = new long[Poly1305.VEC_STATE_LONGS];
        final Poly1305 poly = new Poly1305();
        final AeadBatch single = new AeadBatch(1);
        // For a packet with a heap key or heap data: off-heap copies of both, and its nonce.
        final AeadBatch copied = new AeadBatch(1);
        final MemorySegment copiedKey = arena.allocate(KEY_LENGTH, 32);
        final MemorySegment copiedNonce = arena.allocate(NONCE_LENGTH, 8);
        MemorySegment copiedData = arena.allocate(2048, 64);
        final boolean[] pass = new boolean[CHUNK_PACKETS];
        // The one-packet-per-lane Poly1305: staged blocks, per-lane r and result limbs, the packets of the lanes.
        final long[] laneMsg = new long[MAX_LANE_STEPS * 3 * 8];
        final long[] laneR = new long[5 * 8], laneH = new long[5 * 8];
        final int[] lanePackets = new int[8];
        boolean lanesUsed;
        // The runs of the kernel call being filled: lanes [lane, lane + count) are blocks [block, ...) of packet.
        final int[] runPacket = new int[16], runBlock = new int[16], runLane = new int[16], runCount = new int[16];
        int runs;

        /** At least {@code bytes} of off-heap scratch for a heap packet; grows (allocating) only for a longer one. */
        MemorySegment copiedData(long bytes) {
            if (bytes > copiedData.byteSize()) {
                copiedData = Arena.ofAuto().allocate(Math.max((bytes + 63) & -64L, 2 * copiedData.byteSize()), 64);
            }
            return copiedData;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final int bits;
    private final int lanes;
    /** Bytes per step of the Poly1305 kernel ({@code Poly1305V*.CHUNK}), 16 per power of r it needs. */
    private final int polyChunk;
    /** Packets per call of the one-packet-per-lane Poly1305 kernel. */
    private final int polyLanes;

    /**
     * An implementation whose widest vectors have {@code bits} bits (512, 256 or 128).
     *
     * @throws IllegalArgumentException for another width
     */
    public VectorChaCha20Poly1305(int bits) {
        if (bits != 512 && bits != 256 && bits != 128) {
            throw new IllegalArgumentException("vector width must be 512, 256 or 128 bits, got " + bits);
        }
        this.bits = bits;
        this.lanes = bits / 32;
        this.polyChunk = switch (bits) {
            case 512 -> Poly1305V512.CHUNK;
            case 256 -> Poly1305V256.CHUNK;
            default -> Poly1305V128.CHUNK;
        };
        this.polyLanes = bits / 64;
    }

    /** The widest integer vector this JVM offers (its preferred species), in bits. */
    public static int preferredBits() {
        return IntVector.SPECIES_PREFERRED.vectorBitSize();
    }

    public int bits() {
        return bits;
    }

    /**
     * Calls every kernel of this width directly, {@code rounds} times each, on scratch data: the first stage of the
     * provider's warm-up (crypto.md §7.2 item 5). Driving the kernels alone, rather than through the batch code,
     * gets them to C2's thresholds sooner: until then they run interpreted (the compiler directive keeps them out of
     * C1), where a call takes milliseconds. The inputs vary in length and come from two kinds of arena (the data
     * path's {@code Arena.ofAuto()} and a confined one), so that the compiled code does not speculate on either.
     */
    public void warmUpKernels(int rounds) {
        Scratch s = SCRATCH.get();
        try (Arena confined = Arena.ofConfined()) {
            MemorySegment[] data = {Arena.ofAuto().allocate(2048, 64), confined.allocate(2048, 64)};
            long[] msg = new long[MAX_LANE_STEPS * 3 * 8], r = new long[5 * 8], h = new long[5 * 8];
            for (int i = 0; i < rounds; i++) {
                MemorySegment d = data[i & 1];
                int take = 1 + i % lanes;
                int from = i % (lanes - take + 1);
                long length = (i * 37L) % 1024;
                long chunks = 1 + i % 8;
                int steps = 1 + i % MAX_LANE_STEPS;
                s.tableUsed = true;
                switch (bits) {
                    case 512 -> {
                        ChaCha20V512.fill(s.table, 0, lanes, d, i, 0, i);
                        ChaCha20V512.fill(s.table, from, from + take, d, i, 0, i);
                        ChaCha20V512.blocks(s.table, s.keyStream);
                        ChaCha20V512.blocks(d, i, 0, i, s.keyStream);
                        ChaCha20V512.xor(d, 0, length, s.keyStream, 1024 - length);
                        Poly1305V512.blocks(d, 0, chunks, s.polyState);
                        Poly1305LanesV512.blocks(msg, steps, r, h);
                        // A half-full 512-bit pass runs the 256-bit kernel.
                        ChaCha20V256.fill(s.table, from % 8, from % 8 + Math.min(take, 8 - from % 8), d, i, 0, i);
                        ChaCha20V256.blocks(s.table, s.keyStream);
                    }
                    case 256 -> {
                        ChaCha20V256.fill(s.table, 0, lanes, d, i, 0, i);
                        ChaCha20V256.fill(s.table, from, from + take, d, i, 0, i);
                        ChaCha20V256.blocks(s.table, s.keyStream);
                        ChaCha20V256.blocks(d, i, 0, i, s.keyStream);
                        ChaCha20V256.xor(d, 0, length, s.keyStream, 1024 - length);
                        Poly1305V256.blocks(d, 0, chunks, s.polyState);
                        Poly1305LanesV256.blocks(msg, steps, r, h);
                    }
                    default -> {
                        ChaCha20V128.fill(s.table, 0, lanes, d, i, 0, i);
                        ChaCha20V128.fill(s.table, from, from + take, d, i, 0, i);
                        ChaCha20V128.blocks(s.table, s.keyStream);
                        ChaCha20V128.blocks(d, i, 0, i, s.keyStream);
                        ChaCha20V128.xor(d, 0, length, s.keyStream, 1024 - length);
                        Poly1305V128.blocks(d, 0, chunks, s.polyState);
                        Poly1305LanesV128.blocks(msg, steps, r, h);
                    }
                }
            }
        } finally {
            wipe(s, 0);
        }
    }

    @Override
    public String name() {
        return "vector-" + bits;
    }

    @Override
    public void seal(MemorySegment key, long counter, MemorySegment aad, MemorySegment data, long offset, int length) {
        AeadBounds.checkData(data, offset, length);
        Scratch s = SCRATCH.get();
        AeadBatch one = s.single;
        one.clear();
        one.add(key, counter, aad, data, offset, length);
        try {
            sealOne(one, 0, s);
        } finally {
            one.clear();
        }
    }

    @Override
    public boolean open(MemorySegment key, long counter, MemorySegment aad, MemorySegment data, long offset,
                        int lengthWithTag) {
        Scratch s = SCRATCH.get();
        AeadBatch one = s.single;
        one.clear();
        one.add(key, counter, aad, data, offset, lengthWithTag);
        try {
            openOne(one, 0, s);
            return one.ok(0);
        } finally {
            one.clear();
        }
    }

    @Override
    public void seal(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment data, long offset,
                     int length) {
        AeadBounds.checkData(data, offset, length);
        Scratch s = SCRATCH.get();
        AeadBatch one = s.single;
        one.clear();
        one.add(key, nonce, aad, data, offset, length);
        try {
            sealOne(one, 0, s);
        } finally {
            one.clear();
        }
    }

    @Override
    public boolean open(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment data, long offset,
                        int lengthWithTag) {
        Scratch s = SCRATCH.get();
        AeadBatch one = s.single;
        one.clear();
        one.add(key, nonce, aad, data, offset, lengthWithTag);
        try {
            openOne(one, 0, s);
            return one.ok(0);
        } finally {
            one.clear();
        }
    }

    @Override
    public void sealBatch(AeadBatch batch) {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            AeadBounds.checkData(batch.data(i), batch.offset(i), batch.length(i));
        }
        Scratch s = SCRATCH.get();
        if (anyOnHeap(batch)) {
            for (int p = 0; p < n; p++) {
                sealOne(batch, p, s);
            }
            return;
        }
        for (int from = 0; from < n; from += CHUNK_PACKETS) {
            seal(batch, from, Math.min(n, from + CHUNK_PACKETS), s);
        }
    }

    @Override
    public void openBatch(AeadBatch batch) {
        int n = batch.size();
        Scratch s = SCRATCH.get();
        if (anyOnHeap(batch)) {
            for (int p = 0; p < n; p++) {
                openOne(batch, p, s);
            }
            return;
        }
        for (int from = 0; from < n; from += CHUNK_PACKETS) {
            open(batch, from, Math.min(n, from + CHUNK_PACKETS), s);
        }
    }

    private static boolean onHeap(AeadBatch b, int p) {
        return !b.key(p).isNative() || !b.data(p).isNative();
    }

    private static boolean anyOnHeap(AeadBatch b) {
        for (int p = 0; p < b.size(); p++) {
            if (onHeap(b, p)) {
                return true;
            }
        }
        return false;
    }

    private void sealOne(AeadBatch b, int p, Scratch s) {
        if (onHeap(b, p)) {
            viaOffHeapCopy(b, p, s, true);
        } else {
            seal(b, p, p + 1, s);
        }
    }

    private void openOne(AeadBatch b, int p, Scratch s) {
        if (onHeap(b, p)) {
            viaOffHeapCopy(b, p, s, false);
        } else {
            open(b, p, p + 1, s);
        }
    }

    /**
     * Seals or opens packet {@code p}, whose key or data is on the heap, on off-heap copies (class comment). Open
     * copies the plaintext back only if the tag checked, so a forged packet is left as it was.
     */
    private void viaOffHeapCopy(AeadBatch b, int p, Scratch s, boolean seal) {
        int length = b.length(p);
        long bytes = seal ? length + (long) TAG_LENGTH : length;
        MemorySegment data = s.copiedData(bytes);
        AeadBatch one = s.copied;
        try {
            MemorySegment.copy(b.key(p), 0, s.copiedKey, 0, KEY_LENGTH);
            MemorySegment.copy(b.data(p), b.offset(p), data, 0, bytes);
            s.copiedNonce.set(LittleEndian.INT, 0, b.nonce0(p));
            s.copiedNonce.set(LittleEndian.LONG, 4, b.nonce12(p));
            one.clear();
            one.add(s.copiedKey, s.copiedNonce, b.aad(p), data, 0, length);
            if (seal) {
                seal(one, 0, 1, s);
                MemorySegment.copy(data, 0, b.data(p), b.offset(p), bytes);
                b.setOk(p, true);
            } else {
                open(one, 0, 1, s);
                boolean ok = one.ok(0);
                if (ok) {
                    MemorySegment.copy(data, 0, b.data(p), b.offset(p), length - TAG_LENGTH);
                }
                b.setOk(p, ok);
            }
        } finally {
            one.clear();
            s.copiedKey.fill((byte) 0);
            // The scratch's size is a multiple of 64, so whole words cover the packet.
            for (long i = 0; i < bytes; i += 8) {
                data.set(LittleEndian.LONG, i, 0L);
            }
        }
    }

    private void seal(AeadBatch b, int from, int to, Scratch s) {
        try {
            cipher(b, from, to, s, SEAL);
            int grouped = 0;
            for (int p = from; p < to; p++) {
                if (to - from > 1 && laneSteps(b.aad(p).byteSize(), b.length(p)) > 0) {
                    s.lanePackets[grouped++] = p;
                    if (grouped == polyLanes) {
                        authenticateLanes(b, from, s, grouped, true);
                        grouped = 0;
                    }
                    continue;
                }
                sealTag(b, from, p, s);
            }
            if (grouped == 1) {
                sealTag(b, from, s.lanePackets[0], s);
            } else if (grouped > 1) {
                authenticateLanes(b, from, s, grouped, true);
            }
        } finally {
            wipe(s, to - from);
        }
    }

    private void sealTag(AeadBatch b, int from, int p, Scratch s) {
        MemorySegment data = b.data(p);
        long offset = b.offset(p);
        int length = b.length(p);
        authenticate(s, (p - from) * 32L, b.aad(p), data, offset, length);
        s.poly.writeTag(data, offset + length);
        b.setOk(p, true);
    }

    private void checkTag(AeadBatch b, int from, int p, Scratch s) {
        MemorySegment data = b.data(p);
        long offset = b.offset(p);
        int length = b.length(p) - TAG_LENGTH;
        authenticate(s, (p - from) * 32L, b.aad(p), data, offset, length);
        s.pass[p - from] = s.poly.tagEquals(data, offset + length);
    }

    private void open(AeadBatch b, int from, int to, Scratch s) {
        if (to - from == 1 && b.length(from) - TAG_LENGTH >= 64L * (lanes - 1)) {
            openLong(b, from, s);
            return;
        }
        try {
            for (int p = from; p < to; p++) {
                s.pass[p - from] = b.length(p) >= TAG_LENGTH;
            }
            cipher(b, from, to, s, KEYS);
            int grouped = 0;
            for (int p = from; p < to; p++) {
                if (!s.pass[p - from]) {
                    continue;
                }
                if (to - from > 1 && laneSteps(b.aad(p).byteSize(), b.length(p) - TAG_LENGTH) > 0) {
                    s.lanePackets[grouped++] = p;
                    if (grouped == polyLanes) {
                        authenticateLanes(b, from, s, grouped, false);
                        grouped = 0;
                    }
                    continue;
                }
                checkTag(b, from, p, s);
            }
            if (grouped == 1) {
                checkTag(b, from, s.lanePackets[0], s);
            } else if (grouped > 1) {
                authenticateLanes(b, from, s, grouped, false);
            }
            cipher(b, from, to, s, DECRYPT);
            for (int p = from; p < to; p++) {
                b.setOk(p, s.pass[p - from]);
            }
        } finally {
            wipe(s, to - from);
        }
    }

    /**
     * Opens one packet of at least {@code lanes - 1} data blocks with one kernel pass fewer than the general path: the
     * pass that yields the Poly1305 key also yields the first data blocks' key stream, which is kept until the tag has
     * been checked and used only if it checks.
     */
    private void openLong(AeadBatch b, int p, Scratch s) {
        try {
            MemorySegment key = b.key(p), data = b.data(p);
            int n0 = b.nonce0(p);
            long n12 = b.nonce12(p), offset = b.offset(p);
            int length = b.length(p) - TAG_LENGTH;
            switch (bits) {
                case 512 -> ChaCha20V512.blocks(key, 0, n0, n12, s.keyStream);
                case 256 -> ChaCha20V256.blocks(key, 0, n0, n12, s.keyStream);
                default -> ChaCha20V128.blocks(key, 0, n0, n12, s.keyStream);
            }
            MemorySegment.copy(s.keyStream, 0, s.oneTimeKeys, 0, 32);
            authenticate(s, 0, b.aad(p), data, offset, length);
            boolean ok = s.poly.tagEquals(data, offset + length);
            if (ok) {
                long first = 64L * (lanes - 1);
                switch (bits) {
                    case 512 -> ChaCha20V512.xor(data, offset, first, s.keyStream, 64);
                    case 256 -> ChaCha20V256.xor(data, offset, first, s.keyStream, 64);
                    default -> ChaCha20V128.xor(data, offset, first, s.keyStream, 64);
                }
                s.pass[0] = true;
                s.runs = 0;
                cipherFrom(b, p, s, lanes);
            }
            b.setOk(p, ok);
        } finally {
            wipe(s, 1);
        }
    }

    /** Decrypts the data blocks of packet {@code p} from block {@code firstBlock} on (an {@link #openLong} tail). */
    private void cipherFrom(AeadBatch b, int p, Scratch s, int firstBlock) {
        MemorySegment key = b.key(p);
        int n0 = b.nonce0(p);
        long n12 = b.nonce12(p);
        int end = 1 + ((b.length(p) - TAG_LENGTH + 63) >>> 6);
        int block = firstBlock;
        while (end - block >= lanes) {
            switch (bits) {
                case 512 -> ChaCha20V512.blocks(key, block, n0, n12, s.keyStream);
                case 256 -> ChaCha20V256.blocks(key, block, n0, n12, s.keyStream);
                default -> ChaCha20V128.blocks(key, block, n0, n12, s.keyStream);
            }
            record(s, p, block, 0, lanes);
            distribute(b, p, s, DECRYPT);
            block += lanes;
        }
        if (block < end) {
            int take = end - block;
            s.tableUsed = true;
            switch (bits) {
                case 512 -> ChaCha20V512.fill(s.table, 0, take, key, block, n0, n12);
                case 256 -> ChaCha20V256.fill(s.table, 0, take, key, block, n0, n12);
                default -> ChaCha20V128.fill(s.table, 0, take, key, block, n0, n12);
            }
            record(s, p, block, 0, take);
            run(b, p, s, take, DECRYPT);
        }
    }

    private static void record(Scratch s, int p, int block, int lane, int count) {
        s.runPacket[0] = p;
        s.runBlock[0] = block;
        s.runLane[0] = lane;
        s.runCount[0] = count;
        s.runs = 1;
    }

    /** Poly1305 over AAD and ciphertext with the one-time key at {@code oneTimeKeys[keyOffset]}; tag in s.poly. */
    private void authenticate(Scratch s, long keyOffset, MemorySegment aad, MemorySegment data, long offset,
                              int length) {
        Poly1305 poly = s.poly;
        poly.init(s.oneTimeKeys, keyOffset);
        long aadLength = aad.byteSize();
        if (aadLength > 0) {
            poly.padded(aad, 0, aadLength);
        }
        long vectorBytes = 0;
        if (length >= VECTOR_POLY_MIN) {
            long chunks = length / polyChunk;
            vectorBytes = chunks * polyChunk;
            poly.exportForVector(s.polyState, polyChunk / 16);
            switch (bits) {
                case 512 -> Poly1305V512.blocks(data, offset, chunks, s.polyState);
                case 256 -> Poly1305V256.blocks(data, offset, chunks, s.polyState);
                default -> Poly1305V128.blocks(data, offset, chunks, s.polyState);
            }
            poly.importFromVector(s.polyState);
        }
        long tail = length - vectorBytes, whole = tail >>> 4, rest = tail & 15;
        poly.blocks(data, offset + vectorBytes, whole);
        if (rest != 0) {
            // Whole words: the 16 bytes after the ciphertext (its tag, or room for it) are in the segment. The partial
            // block is masked to its length, which is public.
            long at = offset + vectorBytes + (whole << 4);
            poly.paddedBlock(data.get(LittleEndian.LONG, at) & keep(rest),
                    data.get(LittleEndian.LONG, at + 8) & keep(rest - 8));
        }
        poly.lengths(aadLength, length);
        poly.finish();
    }

    /** Poly1305 blocks of a packet for the one-packet-per-lane kernel, or 0 when it takes the per-packet path. */
    private static int laneSteps(long aadLength, int length) {
        if (length >= VECTOR_POLY_MIN) {
            return 0;
        }
        long steps = ((aadLength + 15) >>> 4) + ((length + 15) >>> 4) + 1;
        return steps <= MAX_LANE_STEPS ? (int) steps : 0;
    }

    /**
     * Poly1305 of the {@code count} packets {@code s.lanePackets[0..count)} (2 to {@link #polyLanes}, each with
     * {@link #laneSteps} > 0 and its one-time key in {@code s.oneTimeKeys}), one packet per lane: seal writes each
     * tag, open records in {@code s.pass} whether each tag checked (constant time). The blocks are staged with shorter
     * packets starting late (the kernel's class comment); lanes without a packet get r = 0 and zero blocks.
     */
    private void authenticateLanes(AeadBatch b, int from, Scratch s, int count, boolean seal) {
        int n = polyLanes;
        long[] msg = s.laneMsg, r = s.laneR, h = s.laneH;
        s.lanesUsed = true;
        int tag = seal ? 0 : TAG_LENGTH;
        int steps = 0;
        for (int j = 0; j < count; j++) {
            int p = s.lanePackets[j];
            steps = Math.max(steps, laneSteps(b.aad(p).byteSize(), b.length(p) - tag));
        }
        for (int j = 0; j < n; j++) {
            if (j >= count) {
                for (int l = 0; l < 5; l++) {
                    r[l * n + j] = 0;
                }
                for (int t = 0; t < steps; t++) {
                    stage(msg, t, n, j, 0, 0, 0);
                }
                continue;
            }
            int p = s.lanePackets[j];
            Poly1305.clampedRLimbs(s.oneTimeKeys, (p - from) * 32L, r, j, n);
            MemorySegment aad = b.aad(p), data = b.data(p);
            long aadLength = aad.byteSize(), offset = b.offset(p);
            int length = b.length(p) - tag;
            int t = 0;
            for (int late = steps - laneSteps(aadLength, length); t < late; t++) {
                stage(msg, t, n, j, 0, 0, 0);
            }
            for (long i = 0; i < aadLength; i += 16, t++) {
                stage(msg, t, n, j, word(aad, i, aadLength), word(aad, i + 8, aadLength), PAD);
            }
            // Whole words: the 16 bytes after the ciphertext (its tag, or room for it) are in the segment. A partial
            // last block is masked to its length, which is public.
            for (long i = 0; i < length; i += 16, t++) {
                long lo = data.get(LittleEndian.LONG, offset + i) & keep(length - i);
                long hi = data.get(LittleEndian.LONG, offset + i + 8) & keep(length - i - 8);
                stage(msg, t, n, j, lo, hi, PAD);
            }
            stage(msg, t, n, j, aadLength, length, PAD);
        }
        switch (bits) {
            case 512 -> Poly1305LanesV512.blocks(msg, steps, r, h);
            case 256 -> Poly1305LanesV256.blocks(msg, steps, r, h);
            default -> Poly1305LanesV128.blocks(msg, steps, r, h);
        }
        Poly1305 poly = s.poly;
        for (int j = 0; j < count; j++) {
            int p = s.lanePackets[j];
            MemorySegment data = b.data(p);
            long end = b.offset(p) + b.length(p) - tag;
            poly.init(s.oneTimeKeys, (p - from) * 32L);
            poly.importLimbs(h[j], h[n + j], h[2 * n + j], h[3 * n + j], h[4 * n + j]);
            poly.finish();
            if (seal) {
                poly.writeTag(data, end);
                b.setOk(p, true);
            } else {
                s.pass[p - from] = poly.tagEquals(data, end);
            }
        }
    }

    private static void stage(long[] msg, int step, int n, int lane, long lo, long hi, long pad) {
        int at = step * 3 * n + lane;
        msg[at] = lo;
        msg[at + n] = hi;
        msg[at + 2 * n] = pad;
    }

    /** A mask keeping the first {@code bytes} (clamped to 0..8) bytes of a little-endian long. */
    private static long keep(long bytes) {
        return bytes >= 8 ? -1L : bytes <= 0 ? 0L : (1L << (bytes << 3)) - 1;
    }

    /** The little-endian long at {@code seg[at]}, with the bytes from {@code end} on read as zero. */
    private static long word(MemorySegment seg, long at, long end) {
        if (at + 8 <= end) {
            return seg.get(LittleEndian.LONG, at);
        }
        long v = 0;
        for (long i = at; i < end; i++) {
            v |= (seg.get(ValueLayout.JAVA_BYTE, i) & 0xffL) << ((i - at) << 3);
        }
        return v;
    }

    /**
     * Runs ChaCha20 over packets {@code [from, to)}: SEAL = every block (key and data), KEYS = block 0 of the packets
     * still passing, DECRYPT = the data blocks of the packets still passing.
     */
    private void cipher(AeadBatch b, int from, int to, Scratch s, int mode) {
        int used = 0;
        s.runs = 0;
        for (int p = from; p < to; p++) {
            if (mode != SEAL && !s.pass[p - from]) {
                continue;
            }
            int dataLength = mode == SEAL ? b.length(p) : b.length(p) - TAG_LENGTH;
            int block = mode == DECRYPT ? 1 : 0;
            int end = mode == KEYS ? 1 : 1 + ((dataLength + 63) >>> 6);
            MemorySegment key = b.key(p);
            int n0 = b.nonce0(p);
            long n12 = b.nonce12(p);
            while (block < end) {
                if (used == 0 && end - block >= lanes) {
                    // A whole pass inside this packet: the kernel takes its state straight from the scalars.
                    switch (bits) {
                        case 512 -> ChaCha20V512.blocks(key, block, n0, n12, s.keyStream);
                        case 256 -> ChaCha20V256.blocks(key, block, n0, n12, s.keyStream);
                        default -> ChaCha20V128.blocks(key, block, n0, n12, s.keyStream);
                    }
                    s.runPacket[0] = p;
                    s.runBlock[0] = block;
                    s.runLane[0] = 0;
                    s.runCount[0] = lanes;
                    s.runs = 1;
                    distribute(b, from, s, mode);
                    block += lanes;
                    continue;
                }
                int take = Math.min(lanes - used, end - block);
                s.tableUsed = true;
                switch (bits) {
                    case 512 -> ChaCha20V512.fill(s.table, used, used + take, key, block, n0, n12);
                    case 256 -> ChaCha20V256.fill(s.table, used, used + take, key, block, n0, n12);
                    default -> ChaCha20V128.fill(s.table, used, used + take, key, block, n0, n12);
                }
                int r = s.runs++;
                s.runPacket[r] = p;
                s.runBlock[r] = block;
                s.runLane[r] = used;
                s.runCount[r] = take;
                used += take;
                block += take;
                if (used == lanes) {
                    run(b, from, s, used, mode);
                    used = 0;
                }
            }
        }
        if (used > 0) {
            run(b, from, s, used, mode);
        }
    }

    /** One kernel call on the {@code used} filled lanes, then hands each run's key stream to its packet. */
    private void run(AeadBatch b, int from, Scratch s, int used, int mode) {
        // Half-full 512-bit passes run the 256-bit kernel. 128-bit kernels are only used as the widest: on AVX2 their
        // two-vector permutes are not intrinsified (measured 18 µs per call instead of about 0.1).
        int width = bits == 512 && used <= 8 ? 256 : bits;
        switch (width) {
            case 512 -> ChaCha20V512.blocks(s.table, s.keyStream);
            case 256 -> ChaCha20V256.blocks(s.table, s.keyStream);
            default -> ChaCha20V128.blocks(s.table, s.keyStream);
        }
        distribute(b, from, s, mode);
    }

    /** Hands each run's key stream to its packet: block 0 to the one-time keys, the rest XORed into the data. */
    private void distribute(AeadBatch b, int from, Scratch s, int mode) {
        for (int r = 0; r < s.runs; r++) {
            int p = s.runPacket[r];
            int block = s.runBlock[r];
            int lane = s.runLane[r];
            int count = s.runCount[r];
            if (block == 0) {
                MemorySegment.copy(s.keyStream, lane * 64L, s.oneTimeKeys, (p - from) * 32L, 32);
                block++;
                lane++;
                count--;
            }
            if (count > 0) {
                int dataLength = mode == SEAL ? b.length(p) : b.length(p) - TAG_LENGTH;
                long start = (block - 1) * 64L;
                long length = Math.min(count * 64L, dataLength - start);
                long at = b.offset(p) + start;
                switch (bits) {
                    case 512 -> ChaCha20V512.xor(b.data(p), at, length, s.keyStream, lane * 64L);
                    case 256 -> ChaCha20V256.xor(b.data(p), at, length, s.keyStream, lane * 64L);
                    default -> ChaCha20V128.xor(b.data(p), at, length, s.keyStream, lane * 64L);
                }
            }
        }
        s.runs = 0;
    }

    private static void wipe(Scratch s, int packets) {
        if (s.tableUsed) {
            java.util.Arrays.fill(s.table, 0);
            s.tableUsed = false;
        }
        s.keyStream.fill((byte) 0);
        java.util.Arrays.fill(s.polyState, 0);
        for (long i = 0; i < packets * 32L; i += 8) {
            s.oneTimeKeys.set(LittleEndian.LONG, i, 0L);
        }
        s.poly.wipe();
        if (s.lanesUsed) {
            // The keys and accumulators; the staged blocks are ciphertext and AAD, which are public.
            java.util.Arrays.fill(s.laneR, 0);
            java.util.Arrays.fill(s.laneH, 0);
            s.lanesUsed = false;
        }
    }
}
