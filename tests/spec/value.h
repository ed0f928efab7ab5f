/* value.h: the spec runner's values: parsing wast2json's text, comparing results, printing. */
#ifndef WT_SPEC_VALUE_H
#define WT_SPEC_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "runtime.h"

/* How an expected value matches a result. */
typedef enum {
	WT_SPEC_EXACT,		/* the same bits (floats by bits, refs by value) */
	WT_SPEC_NAN_CANONICAL,	/* nan:canonical: a NaN with only the quiet bit set */
	WT_SPEC_NAN_ARITHMETIC, /* nan:arithmetic: a NaN with the quiet bit set */
	WT_SPEC_REF_NONNULL,	/* a bare "funcref": any non-null function */
} wt_spec_match;

/* One argument or expected result. References: null is 0; the host value
 * `ref.extern N` is N + 1 (never 0), both as argument and as expected. */
typedef struct wt_spec_value {
	uint8_t type;		/* wt_valtype */
	uint8_t match;		/* wt_spec_match; for v128, per lane in lane_match */
	wt_slot bits;		/* for v128: the low 64 bits */
	wt_slot hi;		/* v128 only: the high 64 bits */
	uint8_t lane_type;	/* v128 only: WT_I32 (i8/i16/i32 lanes too), WT_F32, ... */
	uint8_t lane_bytes;	/* v128 only: 1, 2, 4 or 8 */
	uint8_t lane_match[16]; /* v128 only: wt_spec_match per lane */
} wt_spec_value;

/* Parses a wast2json value: type "i32" | "i64" | "f32" | "f64" |
 * "externref" | "funcref", text the decimal bits, "nan:canonical",
 * "nan:arithmetic", "null", or NULL (a bare funcref). Returns 0, or -1
 * for a type or text this runner does not know (v128: see below). */
int wt_spec_value_parse(const char *type, const char *text, wt_spec_value *out);

/* Parses a wast2json v128 value: lane_type "i8" | "i16" | "i32" | "i64" |
 * "f32" | "f64" and n lane texts (floats may be "nan:canonical" or
 * "nan:arithmetic"). Returns 0, or -1 when malformed. */
int wt_spec_value_parse_v128(const char *lane_type, const char *const *lanes, size_t n,
			     wt_spec_value *out);

/* Whether a result of `type` with `bits` (its slots: two for v128, low
 * first) is what `want` expects. */
int wt_spec_value_matches(const wt_spec_value *want, uint8_t type, const wt_slot *bits);

/* Slots a value of type takes in an argument or result array (2 for v128). */
unsigned wt_spec_type_slots(uint8_t type);

/* Formats a result: "i32:42", "f32:0x3f800000 (1)", "externref:3",
 * "funcref:null". Always terminated. */
void wt_spec_slot_format(uint8_t type, const wt_slot *bits, char *buf, size_t size);

/* Formats an expected value the same way ("f64:nan:canonical"). */
void wt_spec_value_format(const wt_spec_value *v, char *buf, size_t size);

/* The text name of a value type ("i32"), or "?". */
const char *wt_spec_type_name(uint8_t type);

#endif
