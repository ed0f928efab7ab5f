/* sqlite_wasi.h (forced with -include): what SQLite's unix VFS calls and WASI lacks. */
#include <sys/types.h>
int fchmod(int fd, mode_t mode);
int fchown(int fd, uid_t uid, gid_t gid);
uid_t geteuid(void);
uid_t getuid(void);
/* POSIX record locks: only compiled; the default VFS is unix-none (no locking), so never used. */
#include <fcntl.h>
#ifndef F_RDLCK
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#endif
#ifndef F_GETLK
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#endif
