/* confine_seccomp.c: the seccomp layer: an allow-list of the system calls a run makes; any other
 * call is stopped by the kernel, and the process says which and dies of SIGSYS. */
#include <errno.h>
#include <linux/fs.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "confine_impl.h"

/* What the engine, the WASI host (core/wasi/host.c, core/overlay/overlay*.c, libuv's
 * synchronous file calls), the journal, the prompt and the CLI's work
 * after the run call, by name (a name the architecture lacks is skipped).
 * Calls with arguments worth a check are in the rules below instead. */
static const char *const allowed[] = {
    /* memory (malloc, thread stacks) */
    "brk",
    "munmap",
    "mremap",
    "madvise",
    /* files: data */
    "read",
    "write",
    "readv",
    "writev",
    "pread64",
    "pwrite64",
    "preadv",
    "pwritev",
    "preadv2",
    "pwritev2",
    "lseek",
    "fsync",
    "fdatasync",
    "ftruncate",
    "fallocate",
    "fadvise64",
    "sendfile",
    "copy_file_range",
    /* files: names (beneath open folders: openat2, the *at calls) */
    "openat",
    "openat2",
    "open",
    "close",
    "close_range",
    "newfstatat",
    "fstat",
    "stat",
    "lstat",
    "statx",
    "getdents64",
    "mkdirat",
    "unlinkat",
    "renameat",
    "renameat2",
    "rename",
    "unlink",
    "linkat",
    "symlinkat",
    "readlinkat",
    "readlink",
    "utimensat",
    "fchmod",
    "fchmodat",
    "faccessat",
    "faccessat2",
    "access",
    "getcwd",
    "fcntl",
    "dup",
    "dup3",
    "umask",
    /* waiting, time, randomness */
    "poll",
    "ppoll",
    "epoll_wait",
    "epoll_pwait",
    "clock_gettime",
    "clock_getres",
    "clock_nanosleep",
    "nanosleep",
    "gettimeofday",
    "time",
    "getrandom",
    "sched_yield",
    "sysinfo",
    /* threads (the --timeout timer), signals (SIGINT/SIGTERM in record), exit */
    "futex",
    "set_robust_list",
    "rseq",
    "gettid",
    "getpid",
    "getppid",
    "getpgrp",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "sigaltstack",
    "restart_syscall",
    "exit",
    "exit_group",
    "wait4", /* reaps the policy files' keeper (core/run/keeper.h), a child of ours */
    "sched_getaffinity",
};

/* ioctl requests: terminals (isatty, the prompt's termios and process
 * group check), FIONREAD, and the non-blocking and close-on-exec flags.
 * TIOCSTI (typing into the terminal) is not among them. */
static const unsigned long ioctls[] = {
    TCGETS,	TCSETS,	  TCSETSW, TCSETSF, TCFLSH,   TIOCGPGRP,
    TIOCGWINSZ, FIONREAD, FIONBIO, FIOCLEX, FIONCLEX,
};

/* A sanitizer build: LeakSanitizer's exit-time check clones a helper
 * (CLONE_VM, no new process image) that ptraces the threads. */
static const char *const sanitizer_allowed[] = {
    "ptrace", "getdents", "prctl", "wait4", "waitid", "kill", "tgkill", "process_vm_readv", "pipe2",
};

/* Writes "N" in decimal to buf (async-signal-safe); returns its length. */
static size_t decimal(long n, char *buf)
{
	char tmp[24];
	size_t len = 0, k = 0;

	if (n < 0)
		buf[len++] = '-', n = -n;
	do
		tmp[k++] = (char)('0' + n % 10);
	while ((n /= 10) && k < sizeof tmp);
	while (k)
		buf[len++] = tmp[--k];
	return len;
}

/* SIGSYS from the filter: says which call was stopped, then dies of the
 * signal (no core file). Only async-signal-safe calls. */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	static const char a[] = "wasi-tofu: self-confinement: the kernel stopped system call ",
			  b[] = ", which a run never makes: a bug in wasi-tofu or an attack on it. "
				"The run is stopped. To see whether the confinement is wrong, "
				"run again with --no-self-confine (and report it).\n";
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	struct rlimit no_core = {0, 0};
	char num[24];
	ssize_t rc;

	rc = write(STDERR_FILENO, a, sizeof a - 1);
	rc = write(STDERR_FILENO, num, decimal(si->si_syscall, num));
	rc = write(STDERR_FILENO, b, sizeof b - 1);
	(void)rc;
	setrlimit(RLIMIT_CORE, &no_core);
	sigaction(SIGSYS, &dfl, NULL);
	raise(SIGSYS); /* delivered when the handler returns: the process ends */
}

static int allow_names(scmp_filter_ctx ctx, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);

		if (nr != __NR_SCMP_ERROR && seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) != 0)
			return -1;
	}
	return 0;
}

/* The calls allowed with some arguments only. */
static int allow_checked(scmp_filter_ctx ctx)
{
	int rc = 0;

	/* memory, never executable: no code can be injected */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
			       SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
			       SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/* threads, not processes; clone3 passes its flags in memory: ENOSYS
	 * makes glibc use clone */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			       SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* signals to this process only (abort, the SIGSYS handler) */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
			       SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2, SCMP_A0(SCMP_CMP_EQ, 0),
			       SCMP_A1(SCMP_CMP_EQ, RLIMIT_CORE));
	for (size_t i = 0; i < sizeof ioctls / sizeof ioctls[0]; i++)
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				       SCMP_A1(SCMP_CMP_EQ, ioctls[i]));
	return rc ? -1 : 0;
}

static int build(scmp_filter_ctx ctx)
{
	if (allow_names(ctx, allowed, sizeof allowed / sizeof allowed[0]) || allow_checked(ctx))
		return -1;
	if (WT_CONFINE_SANITIZE &&
	    (allow_names(ctx, sanitizer_allowed,
			 sizeof sanitizer_allowed / sizeof sanitizer_allowed[0]) ||
	     seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_VM, CLONE_VM))))
		return -1;
	/* TSYNC: every thread, also one made before (there should be none).
	 * SSB: leave the speculative store bypass mitigation as it was (a
	 * filter turns it on by default, which slows the interpreter; the
	 * process without confinement runs without it too). */
	return seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) ||
		       seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1)
		   ? -1
		   : 0;
}

int wt_confine_seccomp(char *why, size_t size, wt_error *err)
{
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	scmp_filter_ctx ctx;
	int rc;

	if (seccomp_api_get() < 1) {
		snprintf(why, size, "the kernel has no seccomp filters");
		return 0;
	}
	if (!(ctx = seccomp_init(SCMP_ACT_TRAP)))
		return wt_fail_plain(err, WT_NOMEM, "self-confinement: seccomp_init failed");
	sigemptyset(&sa.sa_mask);
	if (build(ctx) != 0) {
		seccomp_release(ctx);
		return wt_fail_plain(err, WT_INTERNAL, "self-confinement: cannot build the filter");
	}
	sigaction(SIGSYS, &sa, NULL);
	rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc != 0)
		return wt_fail_plain(err, WT_INTERNAL, "self-confinement: seccomp_load: %s",
				     strerror(-rc));
	return 0;
}
