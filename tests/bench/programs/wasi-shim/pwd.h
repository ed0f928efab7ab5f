/* pwd.h: WASI has no user database; the SQLite shell only asks for a home folder. */
#ifndef WT_SHIM_PWD_H
#define WT_SHIM_PWD_H
#include <sys/types.h>
struct passwd {
	char *pw_name, *pw_dir;
};
static inline struct passwd *getpwuid(uid_t uid)
{
	(void)uid;
	return 0;
}
#endif
