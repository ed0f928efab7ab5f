/* spectest.h: the "spectest" host module the spec scripts import (print*, globals, table, memory).
 */
#ifndef WT_SPEC_SPECTEST_H
#define WT_SPEC_SPECTEST_H

#include <stddef.h>
#include <stdio.h>

#include "runtime.h"

#define WT_SPEC_SPECTEST_MAX 16

typedef struct wt_spec_spectest_entry {
	const char *name;
	wt_functype type; /* functions: their type, for printing the arguments */
	wt_extern ext;
	FILE *trace; /* functions: where print* writes, or NULL to stay silent */
} wt_spec_spectest_entry;

typedef struct wt_spec_spectest {
	size_t n;
	wt_spec_spectest_entry entries[WT_SPEC_SPECTEST_MAX];
} wt_spec_spectest;

/* Makes the spectest objects in s: print, print_i32, print_i64,
 * print_f32, print_f64, print_i32_f32, print_f64_f64 (they write their
 * arguments to trace, when not NULL), global_i32 = 666, global_i64 = 666,
 * global_f32 = 666.6, global_f64 = 666.6, table (10, max 20, funcref),
 * memory (1, max 2). *t must stay in place while s runs (the functions
 * point at their entries). Returns 0, or -1 when the store refused. */
int wt_spec_spectest_init(wt_spec_spectest *t, wt_store *s, FILE *trace);

/* Finds the export `name` (name_len bytes); 0 and *out, or -1. */
int wt_spec_spectest_find(const wt_spec_spectest *t, const char *name, size_t name_len,
			  wt_extern *out);

#endif
