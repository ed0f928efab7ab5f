/* cache_key.c: the code cache's keys and MACs: what an entry's key is made of (the tool's
 * version and build id, the code layout, the CPU features, the compile options, the module's
 * sha256) and each piece's HMAC-SHA256 under the per-user secret (nettle does the hashing). */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>

#include "cache.h"
#include "cache_impl.h"

/* The GNU build id of the loaded object that holds addr (the binary or libwasi-tofu.so). */
typedef struct build_id {
	uintptr_t addr;
	uint8_t id[64];
	size_t len;
} build_id;

/* The NT_GNU_BUILD_ID note of the segment p of an object loaded at base. */
static void note_build_id(ElfW(Addr) base, const ElfW(Phdr) * p, build_id *b)
{
	const uint8_t *at = (const uint8_t *)(base + p->p_vaddr), *end = at + p->p_memsz;

	while (at + sizeof(ElfW(Nhdr)) <= end) {
		const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)at;
		size_t name = (n->n_namesz + 3) & ~(size_t)3, desc = (n->n_descsz + 3) & ~(size_t)3;
		const uint8_t *d = at + sizeof *n + name;
		if (d + desc > end)
			return;
		if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
		    memcmp(at + sizeof *n, "GNU", 4) == 0 && n->n_descsz <= sizeof b->id) {
			memcpy(b->id, d, n->n_descsz);
			b->len = n->n_descsz;
			return;
		}
		at = d + desc;
	}
}

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	build_id *b = data;
	int mine = 0;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + p->p_vaddr;
		if (p->p_type == PT_LOAD && b->addr >= lo && b->addr < lo + p->p_memsz)
			mine = 1;
	}
	for (int i = 0; mine && i < info->dlpi_phnum && !b->len; i++)
		if (info->dlpi_phdr[i].p_type == PT_NOTE)
			note_build_id(info->dlpi_addr, &info->dlpi_phdr[i], b);
	return mine;
}

/* The CPU features compiled code may use. On x86 the kernel's AT_HWCAP holds
 * only CPUID leaf 1's EDX, so the features GCC can emit are asked one by one;
 * elsewhere AT_HWCAP and AT_HWCAP2 are the features the kernel reports. */
#if defined(__x86_64__) || defined(__i386__)
static void cpu_features(uint64_t out[2])
{
	unsigned bit = 0;
	__builtin_cpu_init();
	out[0] = out[1] = 0;
#define WT_CPU(name) (out[0] |= (uint64_t)(__builtin_cpu_supports(name) != 0) << bit++)
	WT_CPU("cmov"), WT_CPU("popcnt"), WT_CPU("sse3"), WT_CPU("ssse3"), WT_CPU("sse4.1");
	WT_CPU("sse4.2"), WT_CPU("avx"), WT_CPU("avx2"), WT_CPU("fma"), WT_CPU("bmi");
	WT_CPU("bmi2"), WT_CPU("aes"), WT_CPU("pclmul"), WT_CPU("avx512f"), WT_CPU("avx512bw");
	WT_CPU("avx512vl"), WT_CPU("avx512dq"), WT_CPU("avx512cd"), WT_CPU("sse4a");
	WT_CPU("fma4"), WT_CPU("xop");
#undef WT_CPU
}
#else
static void cpu_features(uint64_t out[2])
{
	out[0] = getauxval(AT_HWCAP);
	out[1] = getauxval(AT_HWCAP2);
}
#endif

void wt_jit_cache_salt(const char *options, uint8_t out[32])
{
	struct sha256_ctx h;
	build_id b = {.addr = (uintptr_t)&wt_jit_cache_salt};
	uint64_t cpu[2];
	uint32_t layout = WT_JIT_CACHE_LAYOUT;

	dl_iterate_phdr(find_build_id, &b);
	cpu_features(cpu);
	sha256_init(&h);
	sha256_update(&h, sizeof "wasi-tofu " WT_VERSION, (const uint8_t *)"wasi-tofu " WT_VERSION);
	sha256_update(&h, sizeof layout, (const uint8_t *)&layout);
	sha256_update(&h, sizeof b.len, (const uint8_t *)&b.len);
	sha256_update(&h, b.len, b.id);
	sha256_update(&h, sizeof cpu, (const uint8_t *)cpu);
	options = options ? options : "";
	sha256_update(&h, strlen(options) + 1, (const uint8_t *)options);
	sha256_digest(&h, 32, out);
}

void wt_jit_cache_entry(const uint8_t salt[32], const uint8_t module_sha[32], uint8_t out[32])
{
	struct sha256_ctx h;

	sha256_init(&h);
	sha256_update(&h, 32, salt);
	sha256_update(&h, 32, module_sha);
	sha256_digest(&h, 32, out);
}

void wt_jit_cache_mac(const uint8_t secret[WT_JIT_CACHE_SECRET_SIZE], const uint8_t entry[32],
		      const uint8_t *bytes, size_t len, uint8_t out[WT_JIT_CACHE_MAC_SIZE])
{
	struct hmac_sha256_ctx h;

	hmac_sha256_set_key(&h, WT_JIT_CACHE_SECRET_SIZE, secret);
	hmac_sha256_update(&h, 32, entry);
	hmac_sha256_update(&h, len, bytes);
	hmac_sha256_digest(&h, WT_JIT_CACHE_MAC_SIZE, out);
}

int wt_jit_cache_random(uint8_t *out, size_t len)
{
	while (len) {
		ssize_t n = getrandom(out, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		out += n, len -= (size_t)n;
	}
	return 0;
}
