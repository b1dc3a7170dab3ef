package dev.jwgd.crypto;

import static dev.jwgd.crypto.TestData.bytes;
import static dev.jwgd.crypto.TestData.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * All 325 cases of Wycheproof's {@code chacha20_poly1305_test.json} (C2SP/wycheproof testvectors_v1, copied into the
 * test resources), for every implementation: valid cases seal to the expected bytes and open; invalid ones do not
 * open and leave the buffer as it was; nonces of other sizes than 12 bytes are refused.
 */
class WycheproofTest {
    record Case(int id, int ivBits, byte[] key, byte[] iv, byte[] aad, byte[] msg, byte[] ct, byte[] tag,
                boolean valid) {}

    static List<Case> cases() throws IOException {
        String text;
        try (InputStream in = WycheproofTest.class.getResourceAsStream("/chacha20_poly1305_test.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(text);
        List<Case> out = new ArrayList<>();
        for (Object g : (List<?>) root.get("testGroups")) {
            Map<?, ?> group = (Map<?, ?>) g;
            int ivBits = ((Long) group.get("ivSize")).intValue();
            for (Object t : (List<?>) group.get("tests")) {
                Map<?, ?> c = (Map<?, ?>) t;
                out.add(new Case(((Long) c.get("tcId")).intValue(), ivBits, hex((String) c.get("key")),
                        hex((String) c.get("iv")), hex((String) c.get("aad")), hex((String) c.get("msg")),
                        hex((String) c.get("ct")), hex((String) c.get("tag")),
                        !"invalid".equals(c.get("result"))));
            }
        }
        return out;
    }

    @Test
    void theFileHasAll325Cases() throws IOException {
        List<Case> all = cases();
        assertEquals(325, all.size());
        assertEquals(256, all.stream().filter(Case::valid).count());
    }

    static List<Aead> implementations() {
        return TestData.implementations();
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void everyCaseSealsAndOpensAsWycheproofSays(Aead aead) throws IOException {
        int checked = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (Case c : cases()) {
                String where = aead.name() + " tcId " + c.id();
                MemorySegment key = TestData.offHeap(arena, c.key());
                MemorySegment nonce = MemorySegment.ofArray(c.iv().clone());
                MemorySegment aad = c.aad().length == 0 ? MemorySegment.NULL : TestData.heap(c.aad());
                if (c.ivBits() != 96) {
                    MemorySegment data = MemorySegment.ofArray(new byte[c.msg().length + 16]);
                    assertThrows(IllegalArgumentException.class,
                            () -> aead.seal(key, nonce, aad, data, 0, c.msg().length), where);
                    checked++;
                    continue;
                }
                byte[] sealed = new byte[c.ct().length + 16];
                System.arraycopy(c.ct(), 0, sealed, 0, c.ct().length);
                System.arraycopy(c.tag(), 0, sealed, c.ct().length, 16);
                if (c.valid()) {
                    MemorySegment data = arena.allocate(c.msg().length + 16);
                    MemorySegment.copy(c.msg(), 0, data, ValueLayout.JAVA_BYTE, 0, c.msg().length);
                    aead.seal(key, nonce, aad, data, 0, c.msg().length);
                    assertArrayEquals(sealed, bytes(data, 0, sealed.length), where + " seal");
                }
                MemorySegment data = TestData.heap(sealed);
                boolean opened = aead.open(key, nonce, aad, data, 0, sealed.length);
                assertEquals(c.valid(), opened, where + " open");
                if (c.valid()) {
                    assertArrayEquals(c.msg(), bytes(data, 0, c.msg().length), where + " plaintext");
                } else {
                    assertArrayEquals(sealed, bytes(data, 0, sealed.length), where + " left untouched");
                }
                checked++;
            }
        }
        assertEquals(325, checked);
        assertTrue(checked > 0);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void theValidCasesOpenAsOneBatch(Aead aead) throws IOException {
        List<Case> valid = cases().stream().filter(c -> c.valid() && c.ivBits() == 96).toList();
        // Heap segments, then off-heap ones: the vector implementation handles heap packets one by one on
        // off-heap copies, and only an off-heap batch reaches its multi-packet kernel calls.
        for (boolean offHeap : new boolean[] {false, true}) {
            try (Arena arena = Arena.ofConfined()) {
                AeadBatch batch = new AeadBatch(valid.size());
                for (Case c : valid) {
                    byte[] sealed = new byte[c.ct().length + 16];
                    System.arraycopy(c.ct(), 0, sealed, 0, c.ct().length);
                    System.arraycopy(c.tag(), 0, sealed, c.ct().length, 16);
                    batch.add(offHeap ? TestData.offHeap(arena, c.key()) : TestData.heap(c.key()),
                            MemorySegment.ofArray(c.iv().clone()),
                            c.aad().length == 0 ? MemorySegment.NULL : TestData.heap(c.aad()),
                            offHeap ? TestData.offHeap(arena, sealed) : TestData.heap(sealed), 0, sealed.length);
                }
                aead.openBatch(batch);
                for (int i = 0; i < valid.size(); i++) {
                    Case c = valid.get(i);
                    String where = aead.name() + (offHeap ? " off-heap" : " heap") + " tcId " + c.id();
                    assertTrue(batch.ok(i), where);
                    assertArrayEquals(c.msg(), bytes(batch.data(i), 0, c.msg().length), where);
                }
            }
        }
        assertFalse(valid.isEmpty());
    }
}
