/* wasi_calls.h: every wasi_snapshot_preview1 function, one row each. */
#ifndef WT_WASI_CALLS_H
#define WT_WASI_CALLS_H

/* X(name, signature, class)
 *
 * signature  params:results in letters i=i32 I=i64 (every preview1
 *            function returns an errno as i32, but proc_exit).
 * class      the capability class the gate and the manifest reason about.
 *
 * The enum, the name table, the import resolver, the journal's call names
 * and the capability mapping are generated from this list. */
#define WT_WASI_CALL_LIST(X)                          \
	X(args_get, "ii:i", ARGS)                     \
	X(args_sizes_get, "ii:i", ARGS)               \
	X(environ_get, "ii:i", ENV)                   \
	X(environ_sizes_get, "ii:i", ENV)             \
	X(clock_res_get, "ii:i", CLOCK)               \
	X(clock_time_get, "iIi:i", CLOCK)             \
	X(fd_advise, "iIIi:i", FD)                    \
	X(fd_allocate, "iII:i", FD)                   \
	X(fd_close, "i:i", FD)                        \
	X(fd_datasync, "i:i", FD)                     \
	X(fd_fdstat_get, "ii:i", FD)                  \
	X(fd_fdstat_set_flags, "ii:i", FD)            \
	X(fd_fdstat_set_rights, "iII:i", FD)          \
	X(fd_filestat_get, "ii:i", FD)                \
	X(fd_filestat_set_size, "iI:i", FD)           \
	X(fd_filestat_set_times, "iIIi:i", FD)        \
	X(fd_pread, "iiiIi:i", FD)                    \
	X(fd_prestat_get, "ii:i", FD)                 \
	X(fd_prestat_dir_name, "iii:i", FD)           \
	X(fd_pwrite, "iiiIi:i", FD)                   \
	X(fd_read, "iiii:i", FD)                      \
	X(fd_readdir, "iiiIi:i", FD)                  \
	X(fd_renumber, "ii:i", FD)                    \
	X(fd_seek, "iIii:i", FD)                      \
	X(fd_sync, "i:i", FD)                         \
	X(fd_tell, "ii:i", FD)                        \
	X(fd_write, "iiii:i", FD)                     \
	X(path_create_directory, "iii:i", PATH)       \
	X(path_filestat_get, "iiiii:i", PATH)         \
	X(path_filestat_set_times, "iiiiIIi:i", PATH) \
	X(path_link, "iiiiiii:i", PATH)               \
	X(path_open, "iiiiiIIii:i", PATH)             \
	X(path_readlink, "iiiiii:i", PATH)            \
	X(path_remove_directory, "iii:i", PATH)       \
	X(path_rename, "iiiiii:i", PATH)              \
	X(path_symlink, "iiiii:i", PATH)              \
	X(path_unlink_file, "iii:i", PATH)            \
	X(poll_oneoff, "iiii:i", POLL)                \
	X(proc_exit, "i:", PROC)                      \
	X(proc_raise, "i:i", PROC)                    \
	X(sched_yield, ":i", SCHED)                   \
	X(random_get, "ii:i", RANDOM)                 \
	X(sock_accept, "iii:i", SOCK)                 \
	X(sock_recv, "iiiiii:i", SOCK)                \
	X(sock_send, "iiiii:i", SOCK)                 \
	X(sock_shutdown, "ii:i", SOCK)

typedef enum {
#define WT_X_ENUM(name, sig, cls) WT_WASI_##name,
	WT_WASI_CALL_LIST(WT_X_ENUM)
#undef WT_X_ENUM
	    WT_WASI_CALL_COUNT
} wt_wasi_call;

typedef enum {
	WT_CLASS_ARGS,
	WT_CLASS_ENV,
	WT_CLASS_CLOCK,
	WT_CLASS_FD,
	WT_CLASS_PATH,
	WT_CLASS_POLL,
	WT_CLASS_PROC,
	WT_CLASS_SCHED,
	WT_CLASS_RANDOM,
	WT_CLASS_SOCK,
} wt_wasi_class;

#endif
