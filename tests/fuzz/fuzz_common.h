/* fuzz_common.h: one hostile module through decode, validate, instantiate and run, checking the
 * engine's promises; shared by the libFuzzer harnesses and the mutation test. */
#ifndef WT_FUZZ_COMMON_H
#define WT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* How far one input goes. */
typedef enum {
	WT_FUZZ_DECODE, /* decode + validate */
	WT_FUZZ_RUN,	/* ... + instantiate + call every exported function */
} wt_fuzz_depth;

/* What happened to one input, for the caller's statistics. */
typedef enum {
	WT_FUZZ_REJECTED, /* decode or validate failed with a located error */
	WT_FUZZ_VALID,	  /* validated (WT_FUZZ_DECODE stops here) */
	WT_FUZZ_UNLINKED, /* instantiation failed with a tool status */
	WT_FUZZ_TRAPPED,  /* a segment or the start function trapped */
	WT_FUZZ_RAN,	  /* instantiated; every export was called */
} wt_fuzz_outcome;

/* The limits every fuzzed store runs under: small enough that one input
 * takes milliseconds. */
enum {
	WT_FUZZ_FUEL = 200000,
	WT_FUZZ_MAX_MEMORY = 16 << 20,
	WT_FUZZ_CALL_DEPTH = 400,
	WT_FUZZ_STACK_SLOTS = 1 << 16,
	WT_FUZZ_MAX_IMPORT_TABLE = 10000,
};

/* Runs bytes[0..size) (borrowed) as far as `depth`, checking on the way
 * that every failure is a tool status with a message, that decode and
 * validate errors carry a byte offset within [0, size], and that every
 * trap is one of WT_TRAP_LIST. A broken promise prints what broke to
 * stderr and calls abort(), so the fuzzer or the test reports the input.
 * Imports are all provided by a resolver that makes a host object of the
 * declared type (functions return zeros); exports are called with zero
 * arguments. */
wt_fuzz_outcome wt_fuzz_one(const uint8_t *bytes, size_t size, wt_fuzz_depth depth);

#endif
