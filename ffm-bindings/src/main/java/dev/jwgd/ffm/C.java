package dev.jwgd.ffm;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C type layouts and linker plumbing every binding class shares, in the shape of jextract's
 * {@code $shared} class. Calls that can fail capture errno through {@link #ERRNO}; the caller passes
 * the thread's capture segment from {@link #errnoState()} so that no call allocates.
 */
@SuppressWarnings("restricted")
public final class C {
    private C() {}

    public static final Linker LINKER = Linker.nativeLinker();
    public static final SymbolLookup LOOKUP = LINKER.defaultLookup();

    public static final ValueLayout.OfByte C_CHAR = (ValueLayout.OfByte) LINKER.canonicalLayouts().get("char");
    public static final ValueLayout.OfShort C_SHORT = (ValueLayout.OfShort) LINKER.canonicalLayouts().get("short");
    public static final ValueLayout.OfInt C_INT = (ValueLayout.OfInt) LINKER.canonicalLayouts().get("int");
    public static final ValueLayout.OfLong C_LONG = (ValueLayout.OfLong) LINKER.canonicalLayouts().get("long");
    public static final ValueLayout.OfLong C_LONG_LONG = (ValueLayout.OfLong) LINKER.canonicalLayouts().get("long long");
    public static final AddressLayout C_POINTER = (AddressLayout) LINKER.canonicalLayouts().get("void*");

    /** Captures errno right after the call, before the JVM can clobber it. */
    public static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    public static final StructLayout ERRNO_STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            ERRNO_STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // One capture segment per thread, allocated once: ThreadLocal.get() does not allocate.
    private static final ThreadLocal<MemorySegment> ERRNO_STATE =
            ThreadLocal.withInitial(() -> java.lang.foreign.Arena.ofAuto().allocate(ERRNO_STATE_LAYOUT));

    /** This thread's errno capture segment, to pass as the first argument of an {@link #ERRNO} handle. */
    public static MemorySegment errnoState() {
        return ERRNO_STATE.get();
    }

    /** errno as captured by the last {@link #ERRNO} call on this thread. */
    public static int errno() {
        return (int) ERRNO_HANDLE.get(ERRNO_STATE.get(), 0L);
    }

    /** A downcall handle for a libc symbol; {@code options} usually include {@link #ERRNO}. */
    public static MethodHandle downcall(String name, java.lang.foreign.FunctionDescriptor desc, Linker.Option... options) {
        MemorySegment addr = LOOKUP.find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no symbol " + name));
        return LINKER.downcallHandle(addr, desc, options);
    }
}
