/* keeper.c: reads and replaces the policy's own files for a self-confined process, in a helper
 * process forked before confinement that serves only the paths it was given. */
#include "keeper.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_FILE = 64u << 20 }; /* a manifest or override file is far smaller */

struct wt_keeper {
	int sock;
	pid_t pid;
};

/* One request: op 'r' (read, at most arg bytes) or 'w' (replace with the
 * arg bytes that follow the path). The reply: 0 or a WT_* status, whether
 * the file existed, and len bytes that follow: the file (a read) or the
 * error's message. */
typedef struct request {
	uint8_t op;
	uint32_t path_len;
	uint64_t arg;
} request;

typedef struct reply {
	int32_t status;
	uint8_t exists;
	uint64_t len;
} reply;

/* Moves all n bytes (write: from buf, else into it); 0, or -1 at an error
 * or the end of the stream. */
static int move_full(int fd, void *buf, size_t n, int write_it)
{
	for (size_t done = 0; done < n;) {
		ssize_t k = write_it ? write(fd, (char *)buf + done, n - done)
				     : read(fd, (char *)buf + done, n - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		done += (size_t)k;
	}
	return 0;
}

static int read_full(int fd, void *buf, size_t n)
{
	return move_full(fd, buf, n, 0);
}

static int write_full(int fd, const void *buf, size_t n)
{
	return move_full(fd, (void *)buf, n, 1);
}

/* The keeper's side of one request; 0, or -1 when the socket is gone. */
static int serve(int sock, const char *const *paths, int n)
{
	request q;
	reply r = {0};
	char *path = NULL, *data = NULL;
	size_t len = 0;
	int allowed = 0, exists = 0;
	wt_error err;

	if (read_full(sock, &q, sizeof q) || q.path_len > 65536 ||
	    !(path = calloc(1, q.path_len + 1)) || read_full(sock, path, q.path_len) ||
	    (q.op == 'w' &&
	     (q.arg > MAX_FILE || !(data = malloc(q.arg + 1)) || read_full(sock, data, q.arg)))) {
		free(path);
		free(data);
		return -1;
	}
	for (int i = 0; i < n; i++)
		allowed |= paths[i] && strcmp(paths[i], path) == 0;
	wt_error_init(&err);
	if (!allowed)
		r.status = wt_fail_plain(&err, WT_IO, "%s: not a file of the policy", path);
	else if (q.op == 'w')
		r.status = wt_keeper_replace(NULL, path, data, q.arg, &err);
	else
		free(data),
		    data = NULL,
		    r.status = wt_keeper_read(NULL, path, q.arg, &data, &len, &exists, &err);
	r.exists = (uint8_t)exists;
	r.len = r.status ? strlen(err.msg) : q.op == 'r' ? len : 0;
	free(path);
	n = write_full(sock, &r, sizeof r) ||
	    (r.len && write_full(sock, r.status ? err.msg : data, r.len));
	free(data);
	return n ? -1 : 0;
}

int wt_keeper_start(const char *const *paths, int n, wt_keeper **out, wt_error *err)
{
	wt_keeper *k = calloc(1, sizeof *k);
	int sv[2];

	*out = NULL;
	if (!k)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		free(k);
		return wt_fail_plain(err, WT_IO, "the policy files' keeper: %s", strerror(errno));
	}
	fflush(NULL);
	k->pid = fork();
	if (k->pid < 0) {
		close(sv[0]), close(sv[1]), free(k);
		return wt_fail_plain(err, WT_IO, "the policy files' keeper: %s", strerror(errno));
	}
	if (k->pid == 0) { /* the keeper: serve until the process closes its end */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		close(sv[0]);
		while (serve(sv[1], paths, n) == 0)
			;
		_exit(0);
	}
	close(sv[1]);
	k->sock = sv[0];
	*out = k;
	return 0;
}

void wt_keeper_stop(wt_keeper *k)
{
	if (!k)
		return;
	close(k->sock);
	waitpid(k->pid, NULL, 0);
	free(k);
}

/* Sends one request to the keeper and reads the reply's head (and, for
 * an error, its message into err). */
static int ask(wt_keeper *k, uint8_t op, const char *path, uint64_t arg, const char *data, reply *r,
	       wt_error *err)
{
	request q = {op, (uint32_t)strlen(path), arg};
	char msg[sizeof err->msg];

	if (write_full(k->sock, &q, sizeof q) || write_full(k->sock, path, q.path_len) ||
	    (op == 'w' && write_full(k->sock, data, arg)) || read_full(k->sock, r, sizeof *r) ||
	    (r->status && (r->len >= sizeof msg || read_full(k->sock, msg, r->len))))
		return wt_fail_plain(err, WT_IO, "%s: the policy files' keeper is gone", path);
	if (r->status) {
		msg[r->len] = '\0';
		return wt_fail_plain(err, r->status, "%s", msg);
	}
	return 0;
}

static int read_direct(const char *path, size_t max, char **text, size_t *len, int *exists,
		       wt_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t n = 0;
	int bad;

	*text = NULL, *len = 0, *exists = f != NULL;
	if (!f && errno == ENOENT)
		return (*text = calloc(1, 1)) ? 0 : wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (!f || fstat(fileno(f), &st)) {
		if (f)
			fclose(f);
		return wt_fail_plain(err, WT_IO, "%s: %s", path, strerror(errno));
	}
	if ((uint64_t)st.st_size > max) {
		fclose(f);
		return wt_fail_plain(err, WT_MALFORMED, "%s: larger than %zu bytes", path, max);
	}
	if ((*text = malloc((size_t)st.st_size + 1)))
		n = fread(*text, 1, (size_t)st.st_size, f);
	bad = !*text ? WT_NOMEM : ferror(f) ? WT_IO : 0;
	fclose(f);
	if (bad) {
		free(*text), *text = NULL;
		return wt_fail_plain(err, bad, "%s: %s", path,
				     bad == WT_NOMEM ? "out of memory" : "read error");
	}
	(*text)[n] = '\0';
	*len = n;
	return 0;
}

int wt_keeper_read(wt_keeper *k, const char *path, size_t max, char **text, size_t *len,
		   int *exists, wt_error *err)
{
	reply r;
	int rc;

	if (!k)
		return read_direct(path, max, text, len, exists, err);
	*text = NULL, *len = 0, *exists = 0;
	if ((rc = ask(k, 'r', path, max, NULL, &r, err)))
		return rc;
	if (!(*text = malloc(r.len + 1)))
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	if (read_full(k->sock, *text, r.len)) {
		free(*text), *text = NULL;
		return wt_fail_plain(err, WT_IO, "%s: the policy files' keeper is gone", path);
	}
	(*text)[r.len] = '\0';
	*len = r.len;
	*exists = r.exists;
	return 0;
}

static int replace_direct(const char *path, const char *text, size_t len, wt_error *err)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + sizeof ".XXXXXX");
	struct stat st;
	int fd, ok, rc = 0;

	if (!tmp)
		return wt_fail_plain(err, WT_NOMEM, "out of memory");
	memcpy(tmp, path, n);
	strcpy(tmp + n, ".XXXXXX");
	if ((fd = mkstemp(tmp)) < 0) {
		rc = wt_fail_plain(err, WT_IO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	ok = !fchmod(fd, stat(path, &st) == 0 ? st.st_mode & 07777 : 0644) &&
	     write_full(fd, text, len) == 0 && !fsync(fd);
	if (close(fd) || !ok) {
		rc = wt_fail_plain(err, WT_IO, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	if (rename(tmp, path)) {
		rc = wt_fail_plain(err, WT_IO, "%s: %s", path, strerror(errno));
		unlink(tmp);
	}
fail:
	free(tmp);
	return rc;
}

int wt_keeper_replace(wt_keeper *k, const char *path, const char *text, size_t len, wt_error *err)
{
	reply r;

	if (!k)
		return replace_direct(path, text, len, err);
	return ask(k, 'w', path, len, text, &r, err);
}
