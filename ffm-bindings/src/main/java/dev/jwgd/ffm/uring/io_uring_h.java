package dev.jwgd.ffm.uring;

/**
 * Constants of {@code <linux/io_uring.h>} and the io_uring system call numbers (x86_64), named as in
 * the header. Values newer than the installed 6.1 headers carry {@link KernelSource} with the kernel
 * version that added them. {@code IoUringLayoutTest} checks every other value against gcc.
 */
public final class io_uring_h {
    private io_uring_h() {}

    // <asm/unistd_64.h>
    public static final int SYS_io_uring_setup = 425;
    public static final int SYS_io_uring_enter = 426;
    public static final int SYS_io_uring_register = 427;

    // sqe->flags
    public static final int IOSQE_FIXED_FILE = 1 << 0;
    public static final int IOSQE_IO_DRAIN = 1 << 1;
    public static final int IOSQE_IO_LINK = 1 << 2;
    public static final int IOSQE_IO_HARDLINK = 1 << 3;
    public static final int IOSQE_ASYNC = 1 << 4;
    public static final int IOSQE_BUFFER_SELECT = 1 << 5;
    public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

    // io_uring_params.flags
    public static final int IORING_SETUP_IOPOLL = 1 << 0;
    public static final int IORING_SETUP_SQPOLL = 1 << 1;
    public static final int IORING_SETUP_SQ_AFF = 1 << 2;
    public static final int IORING_SETUP_CQSIZE = 1 << 3;
    public static final int IORING_SETUP_CLAMP = 1 << 4;
    public static final int IORING_SETUP_ATTACH_WQ = 1 << 5;
    public static final int IORING_SETUP_R_DISABLED = 1 << 6;
    public static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    public static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int IORING_SETUP_SQE128 = 1 << 10;
    public static final int IORING_SETUP_CQE32 = 1 << 11;
    public static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    public static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;
    @KernelSource("6.5") public static final int IORING_SETUP_NO_MMAP = 1 << 14;
    @KernelSource("6.5") public static final int IORING_SETUP_REGISTERED_FD_ONLY = 1 << 15;
    @KernelSource("6.6") public static final int IORING_SETUP_NO_SQARRAY = 1 << 16;

    // sqe->opcode (enum io_uring_op)
    public static final int IORING_OP_NOP = 0;
    public static final int IORING_OP_READV = 1;
    public static final int IORING_OP_WRITEV = 2;
    public static final int IORING_OP_FSYNC = 3;
    public static final int IORING_OP_READ_FIXED = 4;
    public static final int IORING_OP_WRITE_FIXED = 5;
    public static final int IORING_OP_POLL_ADD = 6;
    public static final int IORING_OP_POLL_REMOVE = 7;
    public static final int IORING_OP_SYNC_FILE_RANGE = 8;
    public static final int IORING_OP_SENDMSG = 9;
    public static final int IORING_OP_RECVMSG = 10;
    public static final int IORING_OP_TIMEOUT = 11;
    public static final int IORING_OP_TIMEOUT_REMOVE = 12;
    public static final int IORING_OP_ACCEPT = 13;
    public static final int IORING_OP_ASYNC_CANCEL = 14;
    public static final int IORING_OP_LINK_TIMEOUT = 15;
    public static final int IORING_OP_CONNECT = 16;
    public static final int IORING_OP_CLOSE = 19;
    public static final int IORING_OP_FILES_UPDATE = 20;
    public static final int IORING_OP_READ = 22;
    public static final int IORING_OP_WRITE = 23;
    public static final int IORING_OP_SEND = 26;
    public static final int IORING_OP_RECV = 27;
    public static final int IORING_OP_PROVIDE_BUFFERS = 31;
    public static final int IORING_OP_REMOVE_BUFFERS = 32;
    public static final int IORING_OP_SHUTDOWN = 34;
    public static final int IORING_OP_MSG_RING = 40;
    public static final int IORING_OP_SOCKET = 45;
    public static final int IORING_OP_URING_CMD = 46;
    public static final int IORING_OP_SEND_ZC = 47;
    public static final int IORING_OP_SENDMSG_ZC = 48;
    @KernelSource("6.7") public static final int IORING_OP_READ_MULTISHOT = 49;
    @KernelSource("6.11") public static final int IORING_OP_BIND = 56;
    @KernelSource("6.11") public static final int IORING_OP_LISTEN = 57;

    // sqe->ioprio for send/recv, and recvmsg/sendmsg flags
    public static final int IORING_RECVSEND_POLL_FIRST = 1 << 0;
    public static final int IORING_RECV_MULTISHOT = 1 << 1;
    public static final int IORING_RECVSEND_FIXED_BUF = 1 << 2;
    public static final int IORING_SEND_ZC_REPORT_USAGE = 1 << 3;
    @KernelSource("6.10") public static final int IORING_RECVSEND_BUNDLE = 1 << 4;

    // sqe->cancel_flags
    public static final int IORING_ASYNC_CANCEL_ALL = 1 << 0;
    public static final int IORING_ASYNC_CANCEL_FD = 1 << 1;
    public static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;

    // sqe->timeout_flags
    public static final int IORING_TIMEOUT_ABS = 1 << 0;

    // cqe->flags
    public static final int IORING_CQE_F_BUFFER = 1 << 0;
    public static final int IORING_CQE_F_MORE = 1 << 1;
    public static final int IORING_CQE_F_SOCK_NONEMPTY = 1 << 2;
    public static final int IORING_CQE_F_NOTIF = 1 << 3;
    @KernelSource("6.12") public static final int IORING_CQE_F_BUF_MORE = 1 << 4;
    public static final int IORING_CQE_BUFFER_SHIFT = 16;

    // mmap offsets
    public static final long IORING_OFF_SQ_RING = 0L;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;
    @KernelSource("6.4") public static final long IORING_OFF_PBUF_RING = 0x80000000L;
    @KernelSource("6.4") public static final int IORING_OFF_PBUF_SHIFT = 16;
    public static final long IORING_OFF_MMAP_MASK = 0xf8000000L;

    // sq_ring->flags
    public static final int IORING_SQ_NEED_WAKEUP = 1 << 0;
    public static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;
    public static final int IORING_SQ_TASKRUN = 1 << 2;

    // cq_ring->flags
    public static final int IORING_CQ_EVENTFD_DISABLED = 1 << 0;

    // io_uring_enter(2) flags
    public static final int IORING_ENTER_GETEVENTS = 1 << 0;
    public static final int IORING_ENTER_SQ_WAKEUP = 1 << 1;
    public static final int IORING_ENTER_SQ_WAIT = 1 << 2;
    public static final int IORING_ENTER_EXT_ARG = 1 << 3;
    public static final int IORING_ENTER_REGISTERED_RING = 1 << 4;

    // io_uring_params.features
    public static final int IORING_FEAT_SINGLE_MMAP = 1 << 0;
    public static final int IORING_FEAT_NODROP = 1 << 1;
    public static final int IORING_FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int IORING_FEAT_RW_CUR_POS = 1 << 3;
    public static final int IORING_FEAT_CUR_PERSONALITY = 1 << 4;
    public static final int IORING_FEAT_FAST_POLL = 1 << 5;
    public static final int IORING_FEAT_POLL_32BITS = 1 << 6;
    public static final int IORING_FEAT_SQPOLL_NONFIXED = 1 << 7;
    public static final int IORING_FEAT_EXT_ARG = 1 << 8;
    public static final int IORING_FEAT_NATIVE_WORKERS = 1 << 9;
    public static final int IORING_FEAT_RSRC_TAGS = 1 << 10;
    public static final int IORING_FEAT_CQE_SKIP = 1 << 11;
    public static final int IORING_FEAT_LINKED_FILE = 1 << 12;
    @KernelSource("6.3") public static final int IORING_FEAT_REG_REG_RING = 1 << 13;
    @KernelSource("6.10") public static final int IORING_FEAT_RECVSEND_BUNDLE = 1 << 14;
    @KernelSource("6.12") public static final int IORING_FEAT_MIN_TIMEOUT = 1 << 15;

    // io_uring_register(2) opcodes
    public static final int IORING_REGISTER_BUFFERS = 0;
    public static final int IORING_UNREGISTER_BUFFERS = 1;
    public static final int IORING_REGISTER_FILES = 2;
    public static final int IORING_UNREGISTER_FILES = 3;
    public static final int IORING_REGISTER_EVENTFD = 4;
    public static final int IORING_UNREGISTER_EVENTFD = 5;
    public static final int IORING_REGISTER_FILES_UPDATE = 6;
    public static final int IORING_REGISTER_PROBE = 8;
    public static final int IORING_REGISTER_ENABLE_RINGS = 12;
    public static final int IORING_REGISTER_FILES2 = 13;
    public static final int IORING_REGISTER_BUFFERS2 = 15;
    public static final int IORING_REGISTER_RING_FDS = 20;
    public static final int IORING_UNREGISTER_RING_FDS = 21;
    public static final int IORING_REGISTER_PBUF_RING = 22;
    public static final int IORING_UNREGISTER_PBUF_RING = 23;
    public static final int IORING_REGISTER_SYNC_CANCEL = 24;
    public static final int IORING_REGISTER_FILE_ALLOC_RANGE = 25;
    @KernelSource("6.8") public static final int IORING_REGISTER_PBUF_STATUS = 26;
    @KernelSource("6.9") public static final int IORING_REGISTER_NAPI = 27;
    @KernelSource("6.9") public static final int IORING_UNREGISTER_NAPI = 28;

    public static final int IORING_RSRC_REGISTER_SPARSE = 1 << 0;
    public static final int IORING_REGISTER_FILES_SKIP = -2;
    public static final int IORING_FILE_INDEX_ALLOC = ~0;
    /** io_uring_probe_op.flags: the opcode is supported. */
    public static final int IO_URING_OP_SUPPORTED = 1 << 0;

    // io_uring_buf_reg flags (pad in the 6.1 header)
    @KernelSource("6.4") public static final int IOU_PBUF_RING_MMAP = 1;
    @KernelSource("6.12") public static final int IOU_PBUF_RING_INC = 2;
}
