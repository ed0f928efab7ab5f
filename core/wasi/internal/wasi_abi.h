/* wasi_abi.h: the guest's side of wasi_snapshot_preview1: rights, flags, layouts (private to core;
 * the errno values and the flags events carry are in wasi_flags.h). */
#ifndef WT_WASI_ABI_H
#define WT_WASI_ABI_H

#include <stdint.h>
#include <string.h>

#include "wasi_flags.h"

/* The host layer's own error for "this path would leave its mount" (a
 * symlink out, an absolute symlink): never a real errno, it becomes
 * ENOTCAPABLE. Host functions return it negated, like any errno. */
#define WT_HOST_ESCAPE 10000

/* The WASI errno for a host errno (positive or negative, as libuv gives
 * it). The one table of host -> guest errors; unknown ones are EIO. */
uint16_t wt_wasi_errno(int host_errno);

/* WASI rights (the guest ABI's, not the user-facing WT_RIGHT_*). */
#define WT_WR_FD_DATASYNC (1ull << 0)
#define WT_WR_FD_READ (1ull << 1)
#define WT_WR_FD_SEEK (1ull << 2)
#define WT_WR_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define WT_WR_FD_SYNC (1ull << 4)
#define WT_WR_FD_TELL (1ull << 5)
#define WT_WR_FD_WRITE (1ull << 6)
#define WT_WR_FD_ADVISE (1ull << 7)
#define WT_WR_FD_ALLOCATE (1ull << 8)
#define WT_WR_PATH_CREATE_DIRECTORY (1ull << 9)
#define WT_WR_PATH_CREATE_FILE (1ull << 10)
#define WT_WR_PATH_LINK_SOURCE (1ull << 11)
#define WT_WR_PATH_LINK_TARGET (1ull << 12)
#define WT_WR_PATH_OPEN (1ull << 13)
#define WT_WR_FD_READDIR (1ull << 14)
#define WT_WR_PATH_READLINK (1ull << 15)
#define WT_WR_PATH_RENAME_SOURCE (1ull << 16)
#define WT_WR_PATH_RENAME_TARGET (1ull << 17)
#define WT_WR_PATH_FILESTAT_GET (1ull << 18)
#define WT_WR_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define WT_WR_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define WT_WR_FD_FILESTAT_GET (1ull << 21)
#define WT_WR_FD_FILESTAT_SET_SIZE (1ull << 22)
#define WT_WR_FD_FILESTAT_SET_TIMES (1ull << 23)
#define WT_WR_PATH_SYMLINK (1ull << 24)
#define WT_WR_PATH_REMOVE_DIRECTORY (1ull << 25)
#define WT_WR_PATH_UNLINK_FILE (1ull << 26)
#define WT_WR_POLL_FD_READWRITE (1ull << 27)
#define WT_WR_SOCK_SHUTDOWN (1ull << 28)
#define WT_WR_SOCK_ACCEPT (1ull << 29)
#define WT_WR_ALL ((1ull << 30) - 1)

/* Rights that change what is stored: a read-only mount never grants them. */
#define WT_WR_WRITES                                                                            \
	(WT_WR_FD_DATASYNC | WT_WR_FD_WRITE | WT_WR_FD_ALLOCATE | WT_WR_PATH_CREATE_DIRECTORY | \
	 WT_WR_PATH_CREATE_FILE | WT_WR_PATH_LINK_SOURCE | WT_WR_PATH_LINK_TARGET |             \
	 WT_WR_PATH_RENAME_SOURCE | WT_WR_PATH_RENAME_TARGET | WT_WR_PATH_FILESTAT_SET_SIZE |   \
	 WT_WR_PATH_FILESTAT_SET_TIMES | WT_WR_FD_FILESTAT_SET_SIZE |                           \
	 WT_WR_FD_FILESTAT_SET_TIMES | WT_WR_PATH_SYMLINK | WT_WR_PATH_REMOVE_DIRECTORY |       \
	 WT_WR_PATH_UNLINK_FILE)

/* Rights of a regular file or a stream (no path rights). */
#define WT_WR_FILE                                                                              \
	(WT_WR_FD_DATASYNC | WT_WR_FD_READ | WT_WR_FD_SEEK | WT_WR_FD_FDSTAT_SET_FLAGS |        \
	 WT_WR_FD_SYNC | WT_WR_FD_TELL | WT_WR_FD_WRITE | WT_WR_FD_ADVISE | WT_WR_FD_ALLOCATE | \
	 WT_WR_FD_FILESTAT_GET | WT_WR_FD_FILESTAT_SET_SIZE | WT_WR_FD_FILESTAT_SET_TIMES |     \
	 WT_WR_POLL_FD_READWRITE)

/* File types. */
enum {
	WT_FT_UNKNOWN = 0,
	WT_FT_BLOCK_DEVICE = 1,
	WT_FT_CHARACTER_DEVICE = 2,
	WT_FT_DIRECTORY = 3,
	WT_FT_REGULAR_FILE = 4,
	WT_FT_SOCKET_DGRAM = 5,
	WT_FT_SOCKET_STREAM = 6,
	WT_FT_SYMBOLIC_LINK = 7,
};

/* fstflags, whence, clocks, events (fdflags, oflags, lookupflags: wasi_flags.h). */
enum {
	WT_FST_ATIM = 1,
	WT_FST_ATIM_NOW = 2,
	WT_FST_MTIM = 4,
	WT_FST_MTIM_NOW = 8,
	WT_WHENCE_SET = 0,
	WT_WHENCE_CUR = 1,
	WT_WHENCE_END = 2,
	WT_CLOCK_REALTIME = 0,
	WT_CLOCK_MONOTONIC = 1,
	WT_CLOCK_PROCESS_CPUTIME = 2,
	WT_CLOCK_THREAD_CPUTIME = 3,
	WT_EVENTTYPE_CLOCK = 0,
	WT_EVENTTYPE_FD_READ = 1,
	WT_EVENTTYPE_FD_WRITE = 2,
	WT_SUBCLOCK_ABSTIME = 1,
	WT_EVRW_HANGUP = 1,
	WT_PREOPENTYPE_DIR = 0,
};

/* Guest struct layouts (little-endian, explicit offsets):
 *
 *   iovec / ciovec  8 bytes: buf u32 @0, buf_len u32 @4
 *   fdstat         24 bytes: filetype u8 @0, flags u16 @2, rights_base u64 @8,
 *                            rights_inheriting u64 @16
 *   filestat       64 bytes: dev @0, ino @8, filetype u8 @16, nlink @24, size @32,
 *                            atim @40, mtim @48, ctim @56 (u64 each)
 *   prestat         8 bytes: tag u8 @0, dir name_len u32 @4
 *   dirent         24 bytes: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16,
 *                            d_type u8 @20; the name follows
 *   subscription   48 bytes: userdata u64 @0, tag u8 @8, then @16: clock: id u32 @16,
 *                            timeout u64 @24, precision u64 @32, flags u16 @40;
 *                            fd_read/fd_write: fd u32 @16
 *   event          32 bytes: userdata u64 @0, error u16 @8, type u8 @10,
 *                            fd_readwrite: nbytes u64 @16, flags u16 @24 */
enum {
	WT_IOVEC_SIZE = 8,
	WT_FDSTAT_SIZE = 24,
	WT_FILESTAT_SIZE = 64,
	WT_PRESTAT_SIZE = 8,
	WT_DIRENT_SIZE = 24,
	WT_SUBSCRIPTION_SIZE = 48,
	WT_EVENT_SIZE = 32,
};

static inline uint32_t wt_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t wt_le64(const uint8_t *p)
{
	return (uint64_t)wt_le32(p) | (uint64_t)wt_le32(p + 4) << 32;
}

static inline uint16_t wt_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline void wt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void wt_put32(uint8_t *p, uint32_t v)
{
	wt_put16(p, (uint16_t)v);
	wt_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void wt_put64(uint8_t *p, uint64_t v)
{
	wt_put32(p, (uint32_t)v);
	wt_put32(p + 4, (uint32_t)(v >> 32));
}

#endif
