package dev.jwgd.bench.handshake;

import dev.jwgd.cookie.CookieChecker;
import dev.jwgd.cookie.CookieGenerator;
import dev.jwgd.crypto.AeadProvider;
import dev.jwgd.keys.Curve25519;
import dev.jwgd.keys.Key;
import dev.jwgd.message.HandshakeInitiation;
import dev.jwgd.message.HandshakeResponse;
import dev.jwgd.noise.Handshake;
import dev.jwgd.noise.NoiseProtocol;
import dev.jwgd.noise.SessionKeys;
import dev.jwgd.noise.StaticIdentity;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Complete WireGuard handshakes on one thread: an initiation created (with MAC1) and consumed (MAC1
 * checked, Noise step, timestamp and flood checks), a response created and consumed, and both
 * sessions begun. One operation = one handshake, so ops/s = handshakes per second per core. The
 * X25519 operations (BouncyCastle) dominate: 4 DH plus 2 key generations per side.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class HandshakeBenchmark {
    private static final long SECOND = 1_000_000_000L;
    private NoiseProtocol noise;
    private StaticIdentity alice, bob;
    private Handshake aliceToBob, bobToAlice;
    private CookieGenerator macsToBob, macsToAlice;
    private CookieChecker bobChecker, aliceChecker;
    private byte[] alicePublic;
    private final MemorySegment init = MemorySegment.ofArray(new byte[HandshakeInitiation.LENGTH]);
    private final MemorySegment resp = MemorySegment.ofArray(new byte[HandshakeResponse.LENGTH]);
    private final HandshakeInitiation initView = new HandshakeInitiation();
    private final HandshakeResponse respView = new HandshakeResponse();
    private long clock = SECOND;

    @Setup
    public void setup() {
        noise = new NoiseProtocol(AeadProvider.scalar());
        alice = new StaticIdentity(Curve25519.generatePrivateKey());
        bob = new StaticIdentity(Curve25519.generatePrivateKey());
        alicePublic = alice.publicKeyBytes();
        aliceToBob = new Handshake(alice, bob.publicKeyBytes());
        bobToAlice = new Handshake(bob, alicePublic);
        Key psk = Curve25519.generatePresharedKey();
        aliceToBob.presharedKey(psk.bytes());
        bobToAlice.presharedKey(psk.bytes());
        macsToBob = new CookieGenerator(bob.publicKeyBytes());
        macsToAlice = new CookieGenerator(alicePublic);
        bobChecker = new CookieChecker(new SecureRandom());
        bobChecker.init(bob.publicKeyBytes());
        aliceChecker = new CookieChecker(new SecureRandom());
        aliceChecker.init(alicePublic);
    }

    /** Initiation created + consumed, response created + consumed, sessions begun on both sides. */
    @Benchmark
    public SessionKeys fullHandshake() {
        clock += SECOND; // timestamps must increase and stay under 50 per second per peer
        if (!noise.createInitiation(alice, aliceToBob, 1, clock, init, 0)) throw new IllegalStateException();
        macsToBob.addMacs(init, 0, HandshakeInitiation.LENGTH, clock);
        if (!bobChecker.checkMac1(init, 0, HandshakeInitiation.LENGTH)) throw new IllegalStateException("mac1");
        initView.wrap(init, 0, HandshakeInitiation.LENGTH);
        NoiseProtocol.Consumed c = noise.consumeInitiation(bob, initView,
                k -> Arrays.equals(k, alicePublic) ? bobToAlice : null, clock);
        if (!c.ok()) throw new IllegalStateException(NoiseProtocol.describe(c.status()));
        if (!noise.createResponse(bobToAlice, 2, resp, 0)) throw new IllegalStateException();
        macsToAlice.addMacs(resp, 0, HandshakeResponse.LENGTH, clock);
        SessionKeys responder = noise.beginSession(bobToAlice);
        if (!aliceChecker.checkMac1(resp, 0, HandshakeResponse.LENGTH)) throw new IllegalStateException("mac1");
        respView.wrap(resp, 0, HandshakeResponse.LENGTH);
        NoiseProtocol.Consumed r = noise.consumeResponse(alice, respView, i -> aliceToBob);
        if (!r.ok()) throw new IllegalStateException(NoiseProtocol.describe(r.status()));
        SessionKeys initiator = noise.beginSession(aliceToBob);
        responder.wipe();
        return initiator;
    }

    /** Only the first half: an initiation created with MAC1, then checked and consumed by the responder. */
    @Benchmark
    public int initiationCreatedAndConsumed() {
        clock += SECOND;
        if (!noise.createInitiation(alice, aliceToBob, 1, clock, init, 0)) throw new IllegalStateException();
        macsToBob.addMacs(init, 0, HandshakeInitiation.LENGTH, clock);
        if (!bobChecker.checkMac1(init, 0, HandshakeInitiation.LENGTH)) throw new IllegalStateException("mac1");
        initView.wrap(init, 0, HandshakeInitiation.LENGTH);
        NoiseProtocol.Consumed c = noise.consumeInitiation(bob, initView,
                k -> Arrays.equals(k, alicePublic) ? bobToAlice : null, clock);
        if (!c.ok()) throw new IllegalStateException(NoiseProtocol.describe(c.status()));
        return c.status();
    }
}
