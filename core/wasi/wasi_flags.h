/* wasi_flags.h: the WASI ABI numbers that leave core in events: errno values and open flags. */
#ifndef WT_WASI_FLAGS_H
#define WT_WASI_FLAGS_H

/* The one source of these numbers, public so that profiler/, manifest/ and
 * cmd/ can read an event (wt_event.errno_result, wt_event.flags) without
 * core's private wasi_abi.h, which includes this header. */

/* WASI errno values, X(name, value). The guest sees these numbers. */
#define WT_WASI_ERRNO_LIST(X) \
	X(SUCCESS, 0)         \
	X(2BIG, 1)            \
	X(ACCES, 2)           \
	X(ADDRINUSE, 3)       \
	X(ADDRNOTAVAIL, 4)    \
	X(AFNOSUPPORT, 5)     \
	X(AGAIN, 6)           \
	X(ALREADY, 7)         \
	X(BADF, 8)            \
	X(BADMSG, 9)          \
	X(BUSY, 10)           \
	X(CANCELED, 11)       \
	X(CHILD, 12)          \
	X(CONNABORTED, 13)    \
	X(CONNREFUSED, 14)    \
	X(CONNRESET, 15)      \
	X(DEADLK, 16)         \
	X(DESTADDRREQ, 17)    \
	X(DOM, 18)            \
	X(DQUOT, 19)          \
	X(EXIST, 20)          \
	X(FAULT, 21)          \
	X(FBIG, 22)           \
	X(HOSTUNREACH, 23)    \
	X(IDRM, 24)           \
	X(ILSEQ, 25)          \
	X(INPROGRESS, 26)     \
	X(INTR, 27)           \
	X(INVAL, 28)          \
	X(IO, 29)             \
	X(ISCONN, 30)         \
	X(ISDIR, 31)          \
	X(LOOP, 32)           \
	X(MFILE, 33)          \
	X(MLINK, 34)          \
	X(MSGSIZE, 35)        \
	X(MULTIHOP, 36)       \
	X(NAMETOOLONG, 37)    \
	X(NETDOWN, 38)        \
	X(NETRESET, 39)       \
	X(NETUNREACH, 40)     \
	X(NFILE, 41)          \
	X(NOBUFS, 42)         \
	X(NODEV, 43)          \
	X(NOENT, 44)          \
	X(NOEXEC, 45)         \
	X(NOLCK, 46)          \
	X(NOLINK, 47)         \
	X(NOMEM, 48)          \
	X(NOMSG, 49)          \
	X(NOPROTOOPT, 50)     \
	X(NOSPC, 51)          \
	X(NOSYS, 52)          \
	X(NOTCONN, 53)        \
	X(NOTDIR, 54)         \
	X(NOTEMPTY, 55)       \
	X(NOTRECOVERABLE, 56) \
	X(NOTSOCK, 57)        \
	X(NOTSUP, 58)         \
	X(NOTTY, 59)          \
	X(NXIO, 60)           \
	X(OVERFLOW, 61)       \
	X(OWNERDEAD, 62)      \
	X(PERM, 63)           \
	X(PIPE, 64)           \
	X(PROTO, 65)          \
	X(PROTONOSUPPORT, 66) \
	X(PROTOTYPE, 67)      \
	X(RANGE, 68)          \
	X(ROFS, 69)           \
	X(SPIPE, 70)          \
	X(SRCH, 71)           \
	X(STALE, 72)          \
	X(TIMEDOUT, 73)       \
	X(TXTBSY, 74)         \
	X(XDEV, 75)           \
	X(NOTCAPABLE, 76)

enum {
#define WT_X_ERRNO(name, value) WT_E##name = value,
	WT_WASI_ERRNO_LIST(WT_X_ERRNO)
#undef WT_X_ERRNO
};

/* wt_event.flags is oflags | fdflags << 8 | lookupflags << 16 (gate.h). */
enum {
	WT_FDF_APPEND = 1,
	WT_FDF_DSYNC = 2,
	WT_FDF_NONBLOCK = 4,
	WT_FDF_RSYNC = 8,
	WT_FDF_SYNC = 16,
	WT_OF_CREAT = 1,
	WT_OF_DIRECTORY = 2,
	WT_OF_EXCL = 4,
	WT_OF_TRUNC = 8,
	WT_LOOKUP_SYMLINK_FOLLOW = 1,
};

/* The name of a WASI errno ("NOENT"), or "?". */
const char *wt_wasi_errno_name(unsigned e);

#endif
