/* confine_landlock.c: the Landlock layer: the file system narrowed to the mounts and the CLI's
 * own files, no TCP, no signals or abstract sockets outside the process. */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine_impl.h"
#include "overlay.h"
#include "overlay_impl.h"
#include "wasi_impl.h"

/* Rights newer than the linux/landlock.h of Debian 12 (Linux 6.1, ABI 2);
 * the values are the kernel's ABI and never change. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif
#define LL_NET_BIND_TCP (1ULL << 0)		  /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)		  /* ABI 4 */
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)		  /* ABI 6 */

/* struct landlock_ruleset_attr as of ABI 6; an older kernel accepts it as
 * long as the fields it does not know are zero. */
typedef struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
} ll_ruleset_attr;

#define LL_FS_V1 ((1ULL << 13) - 1) /* EXECUTE .. MAKE_SYM */
#define LL_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define LL_MAKE_REMOVE                                                  \
	(LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
	 LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | \
	 LANDLOCK_ACCESS_FS_TRUNCATE)
/* What a writable mount needs: every WASI call (no devices, FIFOs,
 * sockets or execution: WASI makes none of them). */
#define LL_READ_WRITE                                                                             \
	(LL_READ | LL_MAKE_REMOVE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_MAKE_DIR | \
	 LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER)
/* The rights a rule on a file (not a folder) may hold. */
#define LL_FILE_RIGHTS                                                \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV)

int wt_confine_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return abi > 0 ? (int)abi : 0;
}

/* Every right the kernel of ABI abi knows: all of them are handled, so
 * whatever no rule allows is denied. */
static ll_ruleset_attr handled_by(int abi)
{
	ll_ruleset_attr a = {.handled_access_fs = LL_FS_V1};

	if (abi >= 2)
		a.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		a.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 4)
		a.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
	if (abi >= 5)
		a.handled_access_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	if (abi >= 6)
		a.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
	return a;
}

/* Allows access (masked by what the ruleset handles and what fd's file
 * type can hold) beneath fd. */
static int add_rule(int ruleset, int fd, uint64_t access, uint64_t handled, wt_error *err)
{
	struct landlock_path_beneath_attr pb = {.parent_fd = fd};
	struct stat st;

	if (fstat(fd, &st) != 0)
		return wt_fail_plain(err, WT_INTERNAL, "self-confinement: fstat: %s",
				     strerror(errno));
	pb.allowed_access = access & handled & (S_ISDIR(st.st_mode) ? ~0ULL : LL_FILE_RIGHTS);
	if (!pb.allowed_access)
		return 0;
	if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) != 0)
		return wt_fail_plain(err, WT_INTERNAL, "self-confinement: landlock_add_rule: %s",
				     strerror(errno));
	return 0;
}

/* The same for a host path; a missing path is skipped. */
static int add_path(int ruleset, const char *path, uint64_t access, uint64_t handled, wt_error *err)
{
	int rc, fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return 0;
	rc = add_rule(ruleset, fd, access, handled, err);
	close(fd);
	return rc;
}

/* WT_CONFINE_* as Landlock rights. */
static uint64_t rights_of(unsigned access)
{
	uint64_t r = 0;

	if (access & WT_CONFINE_READ)
		r |= LL_READ;
	if (access & WT_CONFINE_WRITE)
		r |= LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
	if (access & WT_CONFINE_REPLACE)
		r |= LL_MAKE_REMOVE;
	if (access & WT_CONFINE_RMDIR)
		r |= LANDLOCK_ACCESS_FS_REMOVE_DIR;
	if (access & WT_CONFINE_TERMINAL)
		r |= LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |
		     LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return r;
}

/* A contained run's private folder: everything beneath it, and removing
 * it from its parent at the end. */
static int add_private_folder(int ruleset, const char *dir, uint64_t handled, wt_error *err)
{
	const char *slash = strrchr(dir, '/');
	char parent[4096];
	int rc;

	if ((rc = add_path(ruleset, dir, LL_READ_WRITE, handled, err)) || !slash)
		return rc;
	if (slash == dir)
		return add_path(ruleset, "/", LANDLOCK_ACCESS_FS_REMOVE_DIR, handled, err);
	if ((size_t)(slash - dir) >= sizeof parent)
		return 0;
	memcpy(parent, dir, (size_t)(slash - dir));
	parent[slash - dir] = '\0';
	return add_path(ruleset, parent, LANDLOCK_ACCESS_FS_REMOVE_DIR, handled, err);
}

/* The mounts, as the WASI host opened them: their root fds. */
static int add_mounts(int ruleset, const wt_confine_config *cfg, const wt_wasi *w, uint64_t handled,
		      wt_error *err)
{
	const char *private_dir = NULL;
	int rc;

	for (int i = 0; i < w->nmounts; i++) {
		const wt_wmount *m = &w->mounts[i];
		int writes = !m->readonly && (!m->ovl || cfg->apply_later);

		if ((rc = add_rule(ruleset, m->root, writes ? LL_READ_WRITE : LL_READ, handled,
				   err)))
			return rc;
		if (m->ovl)
			private_dir = wt_overlay_contain_dir(m->ovl->k);
	}
	return private_dir ? add_private_folder(ruleset, private_dir, handled, err) : 0;
}

static int add_rules(int ruleset, const wt_confine_config *cfg, const wt_wasi *w, uint64_t handled,
		     wt_error *err)
{
	int rc;

	if ((rc = add_mounts(ruleset, cfg, w, handled, err)))
		return rc;
	for (int i = 0; i < cfg->npaths; i++)
		if ((rc = add_path(ruleset, cfg->paths[i].path, rights_of(cfg->paths[i].access),
				   handled, err)))
			return rc;
	/* LeakSanitizer reads /proc/self/maps and /proc/self/task at exit */
	return WT_CONFINE_SANITIZE ? add_path(ruleset, "/proc/self", LL_READ, handled, err) : 0;
}

/* The rules of the compile child (wt_confine_compile_child). */
typedef struct child_rules {
	const char *const *writable;
	int n;
	const char *private_dir;
} child_rules;

static int add_child_rules(int ruleset, const child_rules *c, uint64_t handled, wt_error *err)
{
	int rc = add_path(ruleset, "/", LL_READ | LANDLOCK_ACCESS_FS_EXECUTE, handled, err);
	if (rc == 0)
		rc = add_path(ruleset, "/dev/null", LANDLOCK_ACCESS_FS_WRITE_FILE, handled, err);
	for (int i = 0; rc == 0 && i < c->n; i++)
		rc = add_path(ruleset, c->writable[i], LL_READ_WRITE, handled, err);
	if (rc == 0 && c->private_dir)
		rc = add_private_folder(ruleset, c->private_dir, handled, err);
	return rc;
}

/* Builds the ruleset (the run's, or with child the compile child's) and
 * restricts the process with it. */
static int restrict_self(const wt_confine_config *cfg, const wt_wasi *w, const child_rules *child,
			 char *why, size_t size, wt_error *err)
{
	int abi = wt_confine_landlock_abi(), ruleset, rc;
	ll_ruleset_attr attr;

	if (abi < 2) {
		snprintf(why, size, "%s",
			 abi == 1
			     ? "the kernel's Landlock ABI 1 cannot allow renames between folders"
			     : "the kernel has no Landlock (Linux 5.13+ with lsm=landlock)");
		return 0;
	}
	attr = handled_by(abi);
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
	if (ruleset < 0)
		return wt_fail_plain(err, WT_INTERNAL,
				     "self-confinement: landlock_create_ruleset: %s",
				     strerror(errno));
	rc = child ? add_child_rules(ruleset, child, attr.handled_access_fs, err)
		   : add_rules(ruleset, cfg, w, attr.handled_access_fs, err);
	if (rc == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		rc = wt_fail_plain(err, WT_INTERNAL, "self-confinement: no_new_privs: %s",
				   strerror(errno));
	if (rc == 0 && syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
		rc = wt_fail_plain(err, WT_INTERNAL, "self-confinement: landlock_restrict_self: %s",
				   strerror(errno));
	close(ruleset);
	return rc;
}

int wt_confine_landlock(const wt_confine_config *cfg, const wt_wasi *w, char *why, size_t size,
			wt_error *err)
{
	return restrict_self(cfg, w, NULL, why, size, err);
}

int wt_confine_compile_child(const char *const *writable, int n, const char *private_dir, char *why,
			     size_t size, wt_error *err)
{
	child_rules c = {writable, n, private_dir};
	return restrict_self(NULL, NULL, &c, why, size, err);
}
