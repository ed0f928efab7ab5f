/* value.c: the spec runner's values: parsing wast2json's text, comparing results, printing. */
#include "value.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	uint8_t type;
	uint64_t max; /* the largest bit pattern of the type */
} types[] = {
    {"i32", WT_I32, UINT32_MAX},
    {"i64", WT_I64, UINT64_MAX},
    {"f32", WT_F32, UINT32_MAX},
    {"f64", WT_F64, UINT64_MAX},
    {"externref", WT_EXTERNREF, UINT64_MAX - 1},
    {"funcref", WT_FUNCREF, 0},
    {"v128", WT_V128, 0},
};

#define NTYPES (sizeof types / sizeof types[0])

const char *wt_spec_type_name(uint8_t type)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].type == type)
			return types[i].name;
	return "?";
}

/* Parses an unsigned decimal no larger than max; 0 or -1. */
static int parse_u64(const char *text, uint64_t max, uint64_t *out)
{
	if (text[0] < '0' || text[0] > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_text(const char *text, uint64_t max, wt_spec_value *out)
{
	int is_float = out->type == WT_F32 || out->type == WT_F64;
	int is_ref = out->type == WT_EXTERNREF || out->type == WT_FUNCREF;
	if (!text)
		return out->type == WT_FUNCREF ? (out->match = WT_SPEC_REF_NONNULL, 0) : -1;
	if (is_float && !strcmp(text, "nan:canonical"))
		return out->match = WT_SPEC_NAN_CANONICAL, 0;
	if (is_float && !strcmp(text, "nan:arithmetic"))
		return out->match = WT_SPEC_NAN_ARITHMETIC, 0;
	if (is_ref && !strcmp(text, "null"))
		return out->bits = 0, 0;
	if (parse_u64(text, max, &out->bits))
		return -1;
	if (out->type == WT_EXTERNREF)
		out->bits += 1;
	return 0;
}

int wt_spec_value_parse(const char *type, const char *text, wt_spec_value *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < NTYPES; i++) {
		if (strcmp(type, types[i].name))
			continue;
		out->type = types[i].type;
		out->match = WT_SPEC_EXACT;
		return parse_text(text, types[i].max, out);
	}
	return -1;
}

static int is_nan(uint8_t type, wt_slot bits, int canonical)
{
	if (type == WT_F32) {
		uint32_t b = (uint32_t)bits & 0x7fffffffu;
		return canonical ? b == 0x7fc00000u : (b & 0x7fc00000u) == 0x7fc00000u;
	}
	uint64_t b = bits & 0x7fffffffffffffffull;
	uint64_t quiet = 0x7ff8000000000000ull;
	return canonical ? b == quiet : (b & quiet) == quiet;
}

/* One scalar (or one lane: bits already cut to the lane). */
static int scalar_matches(uint8_t match, uint8_t type, wt_slot want, wt_slot bits)
{
	switch (match) {
	case WT_SPEC_NAN_CANONICAL:
		return is_nan(type, bits, 1);
	case WT_SPEC_NAN_ARITHMETIC:
		return is_nan(type, bits, 0);
	case WT_SPEC_REF_NONNULL:
		return bits != 0;
	default:
		return want == bits;
	}
}

/* Lane i (of `bytes` bytes) of the v128 lo:hi. */
static uint64_t lane_of(wt_slot lo, wt_slot hi, unsigned bytes, unsigned i)
{
	unsigned char b[16];
	uint64_t v = 0;
	memcpy(b, &lo, 8);
	memcpy(b + 8, &hi, 8);
	memcpy(&v, b + i * bytes, bytes);
	return v;
}

static int v128_matches(const wt_spec_value *want, const wt_slot *bits)
{
	unsigned n = 16 / want->lane_bytes;
	for (unsigned i = 0; i < n; i++) {
		uint64_t got = lane_of(bits[0], bits[1], want->lane_bytes, i);
		uint64_t exp = lane_of(want->bits, want->hi, want->lane_bytes, i);
		if (!scalar_matches(want->lane_match[i], want->lane_type, exp, got))
			return 0;
	}
	return 1;
}

int wt_spec_value_matches(const wt_spec_value *want, uint8_t type, const wt_slot *bits)
{
	wt_slot b = bits[0];
	if (want->type != type)
		return 0;
	if (type == WT_V128)
		return v128_matches(want, bits);
	if (type == WT_I32 || type == WT_F32)
		b &= UINT32_MAX;
	return scalar_matches(want->match, type, want->bits, b);
}

unsigned wt_spec_type_slots(uint8_t type)
{
	return type == WT_V128 ? 2 : 1;
}

static const struct {
	const char *name;
	uint8_t type, bytes;
} lane_types[] = {
    {"i8", WT_I32, 1},	{"i16", WT_I32, 2}, {"i32", WT_I32, 4},
    {"i64", WT_I64, 8}, {"f32", WT_F32, 4}, {"f64", WT_F64, 8},
};

int wt_spec_value_parse_v128(const char *lane_type, const char *const *lanes, size_t n,
			     wt_spec_value *out)
{
	unsigned char b[16] = {0};
	memset(out, 0, sizeof *out);
	out->type = WT_V128;
	for (size_t t = 0; lane_type && t < sizeof lane_types / sizeof lane_types[0]; t++) {
		if (strcmp(lane_type, lane_types[t].name))
			continue;
		unsigned bytes = lane_types[t].bytes;
		if (n != 16 / bytes)
			return -1;
		out->lane_type = lane_types[t].type;
		out->lane_bytes = (uint8_t)bytes;
		for (size_t i = 0; i < n; i++) {
			wt_spec_value lane;
			lane.type = out->lane_type;
			lane.match = WT_SPEC_EXACT;
			lane.bits = 0;
			uint64_t max = bytes == 8 ? UINT64_MAX : (1ull << (8 * bytes)) - 1;
			if (!lanes[i] || parse_text(lanes[i], max, &lane))
				return -1;
			out->lane_match[i] = lane.match;
			memcpy(b + i * bytes, &lane.bits, bytes);
		}
		memcpy(&out->bits, b, 8);
		memcpy(&out->hi, b + 8, 8);
		return 0;
	}
	return -1;
}

static void format_float(uint8_t type, wt_slot bits, char *buf, size_t size)
{
	if (type == WT_F32) {
		uint32_t b = (uint32_t)bits;
		float f;
		memcpy(&f, &b, sizeof f);
		snprintf(buf, size, "f32:0x%08" PRIx32 " (%.9g)", b, (double)f);
		return;
	}
	double d;
	memcpy(&d, &bits, sizeof d);
	snprintf(buf, size, "f64:0x%016" PRIx64 " (%.17g)", bits, d);
}

void wt_spec_slot_format(uint8_t type, const wt_slot *slots, char *buf, size_t size)
{
	wt_slot bits = slots[0];
	switch (type) {
	case WT_V128:
		snprintf(buf, size, "v128:0x%016" PRIx64 "%016" PRIx64, slots[1], bits);
		break;
	case WT_I32:
		snprintf(buf, size, "i32:%" PRIu32, (uint32_t)bits);
		break;
	case WT_I64:
		snprintf(buf, size, "i64:%" PRIu64, bits);
		break;
	case WT_F32:
	case WT_F64:
		format_float(type, bits, buf, size);
		break;
	case WT_EXTERNREF:
		if (bits)
			snprintf(buf, size, "externref:%" PRIu64, bits - 1);
		else
			snprintf(buf, size, "externref:null");
		break;
	case WT_FUNCREF:
		snprintf(buf, size, "funcref:%s", bits ? "<func>" : "null");
		break;
	default:
		snprintf(buf, size, "%s:0x%" PRIx64, wt_spec_type_name(type), bits);
	}
}

void wt_spec_value_format(const wt_spec_value *v, char *buf, size_t size)
{
	switch (v->match) {
	case WT_SPEC_NAN_CANONICAL:
		snprintf(buf, size, "%s:nan:canonical", wt_spec_type_name(v->type));
		break;
	case WT_SPEC_NAN_ARITHMETIC:
		snprintf(buf, size, "%s:nan:arithmetic", wt_spec_type_name(v->type));
		break;
	case WT_SPEC_REF_NONNULL:
		snprintf(buf, size, "%s:<non-null>", wt_spec_type_name(v->type));
		break;
	default: {
		wt_slot slots[2] = {v->bits, v->hi};
		wt_spec_slot_format(v->type, slots, buf, size);
	}
	}
}
