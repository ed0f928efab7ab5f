/* jit_obj.c: the identity a compiled object records: the tool, the layout of the code it was
 * translated from and of the engine it calls, the code's options, the module. */
#include <stdio.h>
#include <string.h>

#include "code.h"
#include "jit_obj.h"
#include "jit_reloc.h"
#include "sha256.h"

/* Everything the generated code depends on besides the module: the op
 * numbers (their order), the relocation kinds and helpers, and the engine
 * structs' offsets the code reads directly. */
static void fingerprint(char hex[WT_SHA256_HEX])
{
#define WT_VM_OP(name, len, traps) #name ":" #len ","
	static const char ops[] = WT_VM_OPS;
#undef WT_VM_OP
#define WT_REL_X_S(k, n, what) #k ":" #n ","
#define WT_REL_X_RT(n, fn) #n ","
	static const char rels[] = WT_REL_KIND_LIST(WT_REL_X_S) WT_REL_RT_LIST(WT_REL_X_RT);
#undef WT_REL_X_S
#undef WT_REL_X_RT
	char buf[sizeof ops + sizeof rels + 128];
	uint8_t d[WT_SHA256_SIZE];
	int n = snprintf(buf, sizeof buf, "%s%s%d:%zu,%zu,%zu,%zu", ops, rels, WT_RS_COUNT,
			 offsetof(wt_jit_ctx, floor), sizeof(wt_slot), sizeof(void *),
			 sizeof(wt_funcinst));
	wt_sha256(buf, (size_t)n, d);
	wt_sha256_hex(d, hex);
}

size_t wt_obj_ident(const wt_instance *inst, const uint8_t *sha256, char *out)
{
	char fp[WT_SHA256_HEX], mod[WT_SHA256_HEX];
	uint8_t d[WT_SHA256_SIZE];
	if (!sha256)
		sha256 = wt_module_sha256(inst->module, d);
	fingerprint(fp);
	wt_sha256_hex(sha256, mod);
	int n = snprintf(out, WT_OBJ_IDENT_MAX, "wasi-tofu %s code %.16s fuel %d", WT_VERSION, fp,
			 inst->store->limits.fuel != 0);
	snprintf(out + n, WT_OBJ_IDENT_MAX - (size_t)n, " module %s", mod);
	return (size_t)n;
}
