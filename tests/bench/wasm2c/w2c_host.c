/* w2c_host.c: the few WASI calls the compute kernels make, for a kernel translated by wasm2c
 * (the compile-ahead candidate's measurement, wasm2c.sh). Build with -DMOD=name, the module
 * name wasm2c used (its header is MOD.h). Not a WASI implementation: arguments, stdout/stderr
 * writes, exit; everything else answers ENOSYS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CAT3(a, b, c) a##b##c
#define XCAT3(a, b, c) CAT3(a, b, c)
#define STR(x) #x
#define XSTR(x) STR(x)
#include XSTR(MOD.h)
#include "wasm-rt-impl.h"

#define INSTANCE XCAT3(Z_, MOD, _instance_t)
#define FN(name) XCAT3(Z_, MOD, name)

struct Z_wasi_snapshot_preview1_instance_t {
	wasm_rt_memory_t *mem;
	int argc;
	char **argv;
};

enum { ENOSYS_ = 52, EBADF_ = 8 };

static u8 *mem(struct Z_wasi_snapshot_preview1_instance_t *w, u32 at, u32 n)
{
	if ((u64)at + n > w->mem->size) {
		fprintf(stderr, "w2c-host: guest pointer out of bounds\n");
		exit(70);
	}
	return w->mem->data + at;
}

static void put32(struct Z_wasi_snapshot_preview1_instance_t *w, u32 at, u32 v)
{
	memcpy(mem(w, at, 4), &v, 4);
}

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(struct Z_wasi_snapshot_preview1_instance_t *w,
					     u32 argc, u32 size)
{
	u32 total = 0;
	for (int i = 0; i < w->argc; i++)
		total += (u32)strlen(w->argv[i]) + 1;
	put32(w, argc, (u32)w->argc);
	put32(w, size, total);
	return 0;
}

u32 Z_wasi_snapshot_preview1Z_args_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 argv,
				       u32 buf)
{
	for (int i = 0; i < w->argc; i++) {
		u32 n = (u32)strlen(w->argv[i]) + 1;
		memcpy(mem(w, buf, n), w->argv[i], n);
		put32(w, argv + 4 * (u32)i, buf);
		buf += n;
	}
	return 0;
}

u32 Z_wasi_snapshot_preview1Z_fd_close(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd)
{
	(void)w;
	(void)fd;
	return ENOSYS_;
}

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd,
					    u32 out)
{
	if (fd > 2)
		return EBADF_;
	memset(mem(w, out, 24), 0, 24);
	*mem(w, out, 1) = fd == 0 ? 2 : 2; /* character device */
	return 0;
}

u32 Z_wasi_snapshot_preview1Z_fd_seek(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd,
				      u64 off, u32 whence, u32 out)
{
	(void)w, (void)fd, (void)off, (void)whence, (void)out;
	return ENOSYS_;
}

u32 Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd,
				       u32 iovs, u32 n, u32 written)
{
	if (fd != 1 && fd != 2)
		return EBADF_;
	u32 total = 0;
	for (u32 i = 0; i < n; i++) {
		u32 at, len;
		memcpy(&at, mem(w, iovs + 8 * i, 4), 4);
		memcpy(&len, mem(w, iovs + 8 * i + 4, 4), 4);
		fwrite(mem(w, at, len), 1, len, fd == 1 ? stdout : stderr);
		total += len;
	}
	put32(w, written, total);
	return 0;
}

void Z_wasi_snapshot_preview1Z_proc_exit(struct Z_wasi_snapshot_preview1_instance_t *w, u32 code)
{
	(void)w;
	fflush(stdout);
	exit((int)code);
}

int main(int argc, char **argv)
{
	static INSTANCE inst;
	struct Z_wasi_snapshot_preview1_instance_t wasi = {NULL, argc, argv};
	wasm_rt_init();
	FN(_init_module)();
	FN(_instantiate)(&inst, &wasi);
	wasi.mem = &inst.w2c_memory;
	wasm_rt_trap_t code = wasm_rt_impl_try();
	if (code != 0) {
		fprintf(stderr, "w2c-host: trap: %s\n", wasm_rt_strerror(code));
		return 134;
	}
	FN(Z__start)(&inst);
	fflush(stdout);
	return 0;
}
