/* tmpdir.c: private temporary folders (mkdtemp beneath $TMPDIR), named for the process that
 * made them, and the sweep of those a process left behind when it ended without removing its
 * own (a signal or a kill during a compile, a crash, the out-of-memory killer). */
#include "tmpdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h> /* AT_SYMLINK_NOFOLLOW */
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PREFIX "wasi-tofu-jit-"

static const char *tmp_base(void)
{
	const char *tmp = getenv("TMPDIR");
	return tmp && *tmp ? tmp : "/tmp";
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void wt_tmpdir_remove(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* Whether the entry name of the folder open as dfd is a folder another process of ours left:
 * named PREFIX<pid>-..., a real folder (not a link) of this user, its process gone, and
 * untouched for WT_TMPDIR_STALE_S (a process of another PID namespace sharing the folder would
 * still be writing in it: a compile touches its folder at least once an object). */
static int is_stale(int dfd, const char *name, time_t now)
{
	char *end;
	struct stat st;
	if (strncmp(name, PREFIX, sizeof PREFIX - 1) != 0)
		return 0;
	long pid = strtol(name + sizeof PREFIX - 1, &end, 10);
	if (end == name + sizeof PREFIX - 1 || *end != '-' || pid <= 0 || pid == (long)getpid())
		return 0;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid() || now - st.st_mtime < WT_TMPDIR_STALE_S)
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

unsigned wt_tmpdir_sweep(void)
{
	const char *base = tmp_base();
	DIR *d = opendir(base);
	struct dirent *e;
	unsigned removed = 0;
	time_t now = time(NULL);
	char path[4096];
	while (d && (e = readdir(d)) != NULL) {
		if (!is_stale(dirfd(d), e->d_name, now))
			continue;
		int n = snprintf(path, sizeof path, "%s/%s", base, e->d_name);
		if (n > 0 && (size_t)n < sizeof path) {
			wt_tmpdir_remove(path);
			removed++;
		}
	}
	if (d)
		closedir(d);
	return removed;
}

int wt_tmpdir_new(char *dir, size_t cap, wt_error *err)
{
	(void)wt_tmpdir_sweep();
	int n = snprintf(dir, cap, "%s/" PREFIX "%ld-XXXXXX", tmp_base(), (long)getpid());
	if (n < 0 || (size_t)n >= cap)
		return wt_fail_plain(err, WT_IO, "the temporary folder's path is too long");
	if (!mkdtemp(dir))
		return wt_fail_plain(err, WT_IO,
				     "cannot create a folder for the compiling tier: %s",
				     strerror(errno));
	return 0;
}
