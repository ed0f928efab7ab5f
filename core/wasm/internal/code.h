/* code.h: the internal code format that compile.c emits and vm.c runs (one op list, many views). */
#ifndef WT_CODE_H
#define WT_CODE_H

#include <stdint.h>
#include <string.h>

#include "store.h"
#include "vm_simd_ops.h"

/*
 * A compiled function is an array of 32-bit words. Each instruction starts
 * with its handler (two words, a 64-bit value: the label address when the
 * loop dispatches by computed goto, else the op number), then its
 * operands, one word each (64-bit immediates and pointers take two words,
 * low word first). Operands are:
 *
 *   d, a, b, c   slot indices in the frame (fp[d]); no run-time operand stack
 *   k            a 32-bit immediate (for i64 ops: sign-extended)
 *   K, P         a 64-bit immediate / a pointer (two words)
 *   t            a branch target, relative to the word that holds it
 *                (target = &word + (int32_t)word)
 *   n            a count
 *
 *   op                         operands                 does
 *   -------------------------  -----------------------  ------------------------------
 *   <BIN> (int, float, cmp)    d a b                    fp[d] = fp[a] OP fp[b]
 *   <BIN>_I (int, cmp)         d a k                    fp[d] = fp[a] OP k
 *   <BINT> (div, rem)          d a b                    same; traps (zero, overflow)
 *   <BINT>_I                   d a k
 *   <UN>                       d a                      fp[d] = OP fp[a]
 *   <UNT> (trunc)              d a                      same; traps (NaN, range)
 *   <LOAD>                     d a k                    fp[d] = mem[fp[a] + k]
 *   <STORE>                    a b k                    mem[fp[a] + k] = fp[b]
 *   BR_IF_<CMP>, BR_IFNOT_<CMP>         a b t           jump when (not) fp[a] CMP fp[b]
 *   BR_IF_<CMP>_I, BR_IFNOT_<CMP>_I     a k t           jump when (not) fp[a] CMP k
 *   COPY                       d a                      fp[d] = fp[a]
 *   CONST                      d K                      fp[d] = K
 *   BR                         t                        jump (backward: poll interrupt)
 *   BR_IF, BR_IFNOT            a t                      jump when (uint32_t)fp[a] != 0 (== 0)
 *   BR_TABLE                   a n t[n+1]               jump to t[min(fp[a], n)]
 *   SELECT                     d a b c                  fp[d] = (uint32_t)fp[c] ? fp[a] : fp[b]
 *   CALL                       a P                      call funcinst P; args and results
 *                                                       at fp[a..], which is its frame
 *   CALL_INDIRECT              a b P k                  call table P's fp[b]-th entry,
 *                                                       type id k, frame at fp[a..]
 *   RET1                       a                        fp[0] = fp[a]; return
 *   RET                                                 return (results already at fp[0..])
 *                                                       (also a function without results)
 *   UNREACHABLE                                         trap
 *   GLOBAL_GET                 d P                      fp[d] = *(wt_slot *)P
 *   GLOBAL_SET                 a P                      *(wt_slot *)P = fp[a]
 *   MEMORY_SIZE                d                        fp[d] = pages of memory 0
 *   MEMORY_GROW                d a                      fp[d] = grow memory 0 by fp[a]
 *   MEMORY_FILL                a b c                    fill [fp[a], +fp[c]) with fp[b]
 *   MEMORY_COPY                a b c                    copy fp[c] bytes fp[b] -> fp[a]
 *   MEMORY_INIT                a b c k                  data segment k [fp[b], +fp[c]) -> fp[a]
 *   DATA_DROP                  k                        drop data segment k
 *   TABLE_GET                  d a P                    fp[d] = table P[fp[a]]
 *   TABLE_SET                  a b P                    table P[fp[a]] = fp[b]
 *   TABLE_SIZE                 d P
 *   TABLE_GROW                 d a b P                  fp[d] = grow P by fp[b], filled fp[a]
 *   TABLE_FILL                 a b c P                  fill P [fp[a], +fp[c]) with fp[b]
 *   TABLE_COPY                 a b c P P                copy fp[c] entries src fp[b] -> dst fp[a]
 *   TABLE_INIT                 a b c P k                segment k [fp[b], +fp[c]) -> P at fp[a]
 *   ELEM_DROP                  k                        drop element segment k
 *   FUEL                       k                        charge k units of fuel; trap when
 *                                                       fewer are left (emitted at entry and
 *                                                       loop headers, only with a fuel limit)
 *   FUEL_N                     a k                      charge ceil(fp[a] / 2^k) units the
 *                                                       same way (emitted before a bulk op,
 *                                                       a = its length, only with a limit)
 *
 * Every op that produces one value has d as its first operand (word 2),
 * so the compiler can redirect a result into a local named by a following
 * local.set.
 *
 * The frame of a function, in slots from fp:
 *
 *   [params][declared locals][operand stack: max_stack][constants]
 *
 * A call's arguments sit at the top of the caller's operand stack; that
 * spot becomes the callee's fp, so arguments are never copied. Results
 * are left at fp[0..nresults). Entry zeroes the declared locals and
 * copies the constants.
 */

/* Slot types in the lists: u32 (i32, f32 bits), u64 (i64, f64 bits, refs),
 * f32, f64. The expressions see `a` and `b` of the input type. */

/* Integer binary ops: an OP and an OP_I form each. */
#define WT_VM_BINI_LIST(X)                                         \
	X(I32_ADD, u32, u32, a + b)                                \
	X(I32_SUB, u32, u32, a - b)                                \
	X(I32_MUL, u32, u32, a *b)                                 \
	X(I32_AND, u32, u32, a &b)                                 \
	X(I32_OR, u32, u32, a | b)                                 \
	X(I32_XOR, u32, u32, a ^ b)                                \
	X(I32_SHL, u32, u32, a << (b & 31))                        \
	X(I32_SHR_S, u32, u32, (uint32_t)((int32_t)a >> (b & 31))) \
	X(I32_SHR_U, u32, u32, a >> (b & 31))                      \
	X(I32_ROTL, u32, u32, vm_rotl32(a, b))                     \
	X(I32_ROTR, u32, u32, vm_rotr32(a, b))                     \
	X(I64_ADD, u64, u64, a + b)                                \
	X(I64_SUB, u64, u64, a - b)                                \
	X(I64_MUL, u64, u64, a *b)                                 \
	X(I64_AND, u64, u64, a &b)                                 \
	X(I64_OR, u64, u64, a | b)                                 \
	X(I64_XOR, u64, u64, a ^ b)                                \
	X(I64_SHL, u64, u64, a << (b & 63))                        \
	X(I64_SHR_S, u64, u64, (uint64_t)((int64_t)a >> (b & 63))) \
	X(I64_SHR_U, u64, u64, a >> (b & 63))                      \
	X(I64_ROTL, u64, u64, vm_rotl64(a, b))                     \
	X(I64_ROTR, u64, u64, vm_rotr64(a, b))

/* Integer compares: plain, _I, and fused into BR_IF_ / BR_IFNOT_ (+ _I). */
#define WT_VM_CMP_LIST(X)                          \
	X(I32_EQ, u32, a == b)                     \
	X(I32_NE, u32, a != b)                     \
	X(I32_LT_S, u32, (int32_t)a < (int32_t)b)  \
	X(I32_LT_U, u32, a < b)                    \
	X(I32_GT_S, u32, (int32_t)a > (int32_t)b)  \
	X(I32_GT_U, u32, a > b)                    \
	X(I32_LE_S, u32, (int32_t)a <= (int32_t)b) \
	X(I32_LE_U, u32, a <= b)                   \
	X(I32_GE_S, u32, (int32_t)a >= (int32_t)b) \
	X(I32_GE_U, u32, a >= b)                   \
	X(I64_EQ, u64, a == b)                     \
	X(I64_NE, u64, a != b)                     \
	X(I64_LT_S, u64, (int64_t)a < (int64_t)b)  \
	X(I64_LT_U, u64, a < b)                    \
	X(I64_GT_S, u64, (int64_t)a > (int64_t)b)  \
	X(I64_GT_U, u64, a > b)                    \
	X(I64_LE_S, u64, (int64_t)a <= (int64_t)b) \
	X(I64_LE_U, u64, a <= b)                   \
	X(I64_GE_S, u64, (int64_t)a >= (int64_t)b) \
	X(I64_GE_U, u64, a >= b)

/* Trapping integer binary ops: helper(a, b, &r) returns 0 or a trap kind. */
#define WT_VM_BINT_LIST(X)              \
	X(I32_DIV_S, u32, vm_i32_div_s) \
	X(I32_DIV_U, u32, vm_i32_div_u) \
	X(I32_REM_S, u32, vm_i32_rem_s) \
	X(I32_REM_U, u32, vm_i32_rem_u) \
	X(I64_DIV_S, u64, vm_i64_div_s) \
	X(I64_DIV_U, u64, vm_i64_div_u) \
	X(I64_REM_S, u64, vm_i64_rem_s) \
	X(I64_REM_U, u64, vm_i64_rem_u)

/* Float binary ops (no immediate form: constants sit in the frame). */
#define WT_VM_BINF_LIST(X)                                               \
	X(F32_EQ, f32, u32, a == b)                                      \
	X(F32_NE, f32, u32, a != b)                                      \
	X(F32_LT, f32, u32, a < b)                                       \
	X(F32_GT, f32, u32, a > b)                                       \
	X(F32_LE, f32, u32, a <= b)                                      \
	X(F32_GE, f32, u32, a >= b)                                      \
	X(F64_EQ, f64, u32, a == b)                                      \
	X(F64_NE, f64, u32, a != b)                                      \
	X(F64_LT, f64, u32, a < b)                                       \
	X(F64_GT, f64, u32, a > b)                                       \
	X(F64_LE, f64, u32, a <= b)                                      \
	X(F64_GE, f64, u32, a >= b)                                      \
	X(F32_ADD, f32, f32, vm_f32_add(a, b))                           \
	X(F32_SUB, f32, f32, vm_f32_sub(a, b))                           \
	X(F32_MUL, f32, f32, vm_f32_mul(a, b))                           \
	X(F32_DIV, f32, f32, vm_f32_div(a, b))                           \
	X(F32_MIN, f32, f32, vm_f32_min(a, b))                           \
	X(F32_MAX, f32, f32, vm_f32_max(a, b))                           \
	X(F64_ADD, f64, f64, vm_f64_add(a, b))                           \
	X(F64_SUB, f64, f64, vm_f64_sub(a, b))                           \
	X(F64_MUL, f64, f64, vm_f64_mul(a, b))                           \
	X(F64_DIV, f64, f64, vm_f64_div(a, b))                           \
	X(F64_MIN, f64, f64, vm_f64_min(a, b))                           \
	X(F64_MAX, f64, f64, vm_f64_max(a, b))                           \
	X(F32_COPYSIGN, u32, u32, (a & 0x7FFFFFFFu) | (b & 0x80000000u)) \
	X(F64_COPYSIGN, u64, u64, (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull))

/* Unary ops that cannot trap. */
#define WT_VM_UN_LIST(X)                                             \
	X(I32_EQZ, u32, u32, a == 0)                                 \
	X(I64_EQZ, u64, u32, a == 0)                                 \
	X(I32_CLZ, u32, u32, a ? (uint32_t)__builtin_clz(a) : 32)    \
	X(I32_CTZ, u32, u32, a ? (uint32_t)__builtin_ctz(a) : 32)    \
	X(I32_POPCNT, u32, u32, (uint32_t)__builtin_popcount(a))     \
	X(I64_CLZ, u64, u64, a ? (uint64_t)__builtin_clzll(a) : 64)  \
	X(I64_CTZ, u64, u64, a ? (uint64_t)__builtin_ctzll(a) : 64)  \
	X(I64_POPCNT, u64, u64, (uint64_t)__builtin_popcountll(a))   \
	X(F32_ABS, u32, u32, a & 0x7FFFFFFFu)                        \
	X(F32_NEG, u32, u32, a ^ 0x80000000u)                        \
	X(F32_CEIL, f32, f32, vm_f32_ceil(a))                        \
	X(F32_FLOOR, f32, f32, vm_f32_floor(a))                      \
	X(F32_TRUNC, f32, f32, vm_f32_trunc(a))                      \
	X(F32_NEAREST, f32, f32, vm_f32_rint(a))                     \
	X(F32_SQRT, f32, f32, __builtin_sqrtf(a))                    \
	X(F64_ABS, u64, u64, a & 0x7FFFFFFFFFFFFFFFull)              \
	X(F64_NEG, u64, u64, a ^ 0x8000000000000000ull)              \
	X(F64_CEIL, f64, f64, vm_f64_ceil(a))                        \
	X(F64_FLOOR, f64, f64, vm_f64_floor(a))                      \
	X(F64_TRUNC, f64, f64, vm_f64_trunc(a))                      \
	X(F64_NEAREST, f64, f64, vm_f64_rint(a))                     \
	X(F64_SQRT, f64, f64, __builtin_sqrt(a))                     \
	X(I32_WRAP_I64, u64, u32, (uint32_t)a)                       \
	X(I64_EXTEND_I32_S, u32, u64, (uint64_t)(int64_t)(int32_t)a) \
	X(I64_EXTEND_I32_U, u32, u64, (uint64_t)a)                   \
	X(F32_CONVERT_I32_S, u32, f32, (float)(int32_t)a)            \
	X(F32_CONVERT_I32_U, u32, f32, (float)a)                     \
	X(F32_CONVERT_I64_S, u64, f32, (float)(int64_t)a)            \
	X(F32_CONVERT_I64_U, u64, f32, (float)a)                     \
	X(F32_DEMOTE_F64, f64, f32, (float)a)                        \
	X(F64_CONVERT_I32_S, u32, f64, (double)(int32_t)a)           \
	X(F64_CONVERT_I32_U, u32, f64, (double)a)                    \
	X(F64_CONVERT_I64_S, u64, f64, (double)(int64_t)a)           \
	X(F64_CONVERT_I64_U, u64, f64, (double)a)                    \
	X(F64_PROMOTE_F32, f32, f64, (double)a)                      \
	X(I32_EXTEND8_S, u32, u32, (uint32_t)(int32_t)(int8_t)a)     \
	X(I32_EXTEND16_S, u32, u32, (uint32_t)(int32_t)(int16_t)a)   \
	X(I64_EXTEND8_S, u64, u64, (uint64_t)(int64_t)(int8_t)a)     \
	X(I64_EXTEND16_S, u64, u64, (uint64_t)(int64_t)(int16_t)a)   \
	X(I64_EXTEND32_S, u64, u64, (uint64_t)(int64_t)(int32_t)a)   \
	X(I32_TRUNC_SAT_F32_S, f32, u32, vm_sat_i32_f32_s(a))        \
	X(I32_TRUNC_SAT_F32_U, f32, u32, vm_sat_i32_f32_u(a))        \
	X(I32_TRUNC_SAT_F64_S, f64, u32, vm_sat_i32_f64_s(a))        \
	X(I32_TRUNC_SAT_F64_U, f64, u32, vm_sat_i32_f64_u(a))        \
	X(I64_TRUNC_SAT_F32_S, f32, u64, vm_sat_i64_f32_s(a))        \
	X(I64_TRUNC_SAT_F32_U, f32, u64, vm_sat_i64_f32_u(a))        \
	X(I64_TRUNC_SAT_F64_S, f64, u64, vm_sat_i64_f64_s(a))        \
	X(I64_TRUNC_SAT_F64_U, f64, u64, vm_sat_i64_f64_u(a))

/* Trapping unary ops: helper(a, &r) returns 0 or a trap kind. */
#define WT_VM_UNT_LIST(X)                                \
	X(I32_TRUNC_F32_S, f32, u32, vm_trunc_i32_f32_s) \
	X(I32_TRUNC_F32_U, f32, u32, vm_trunc_i32_f32_u) \
	X(I32_TRUNC_F64_S, f64, u32, vm_trunc_i32_f64_s) \
	X(I32_TRUNC_F64_U, f64, u32, vm_trunc_i32_f64_u) \
	X(I64_TRUNC_F32_S, f32, u64, vm_trunc_i64_f32_s) \
	X(I64_TRUNC_F32_U, f32, u64, vm_trunc_i64_f32_u) \
	X(I64_TRUNC_F64_S, f64, u64, vm_trunc_i64_f64_s) \
	X(I64_TRUNC_F64_U, f64, u64, vm_trunc_i64_f64_u)

/* Loads: X(NAME, result type, memory C type, conversion of v). */
#define WT_VM_LOAD_LIST(X)                                  \
	X(I32_LOAD, u32, uint32_t, v)                       \
	X(I64_LOAD, u64, uint64_t, v)                       \
	X(F32_LOAD, u32, uint32_t, v)                       \
	X(F64_LOAD, u64, uint64_t, v)                       \
	X(I32_LOAD8_S, u32, int8_t, (uint32_t)(int32_t)v)   \
	X(I32_LOAD8_U, u32, uint8_t, (uint32_t)v)           \
	X(I32_LOAD16_S, u32, int16_t, (uint32_t)(int32_t)v) \
	X(I32_LOAD16_U, u32, uint16_t, (uint32_t)v)         \
	X(I64_LOAD8_S, u64, int8_t, (uint64_t)(int64_t)v)   \
	X(I64_LOAD8_U, u64, uint8_t, (uint64_t)v)           \
	X(I64_LOAD16_S, u64, int16_t, (uint64_t)(int64_t)v) \
	X(I64_LOAD16_U, u64, uint16_t, (uint64_t)v)         \
	X(I64_LOAD32_S, u64, int32_t, (uint64_t)(int64_t)v) \
	X(I64_LOAD32_U, u64, uint32_t, (uint64_t)v)

/* Stores: X(NAME, value type, memory C type). */
#define WT_VM_STORE_LIST(X)           \
	X(I32_STORE, u32, uint32_t)   \
	X(I64_STORE, u64, uint64_t)   \
	X(F32_STORE, u32, uint32_t)   \
	X(F64_STORE, u64, uint64_t)   \
	X(I32_STORE8, u32, uint8_t)   \
	X(I32_STORE16, u32, uint16_t) \
	X(I64_STORE8, u64, uint8_t)   \
	X(I64_STORE16, u64, uint16_t) \
	X(I64_STORE32, u64, uint32_t)

/* Ops with hand-written handlers: X(NAME, length in words, traps). */
#define WT_VM_MISC_LIST(X)     \
	X(COPY, 4, 0)          \
	X(CONST, 5, 0)         \
	X(BR, 3, 1)            \
	X(BR_IF, 4, 1)         \
	X(BR_IFNOT, 4, 1)      \
	X(BR_TABLE, 0, 0)      \
	X(SELECT, 6, 0)        \
	X(CALL, 5, 1)          \
	X(CALL_INDIRECT, 7, 1) \
	X(RET1, 3, 0)          \
	X(RET, 2, 0)           \
	X(UNREACHABLE, 2, 1)   \
	X(GLOBAL_GET, 5, 0)    \
	X(GLOBAL_SET, 5, 0)    \
	X(MEMORY_SIZE, 3, 0)   \
	X(MEMORY_GROW, 4, 0)   \
	X(MEMORY_FILL, 5, 1)   \
	X(MEMORY_COPY, 5, 1)   \
	X(MEMORY_INIT, 6, 1)   \
	X(DATA_DROP, 3, 0)     \
	X(TABLE_GET, 6, 1)     \
	X(TABLE_SET, 6, 1)     \
	X(TABLE_SIZE, 5, 0)    \
	X(TABLE_GROW, 7, 0)    \
	X(TABLE_FILL, 7, 1)    \
	X(TABLE_COPY, 9, 1)    \
	X(TABLE_INIT, 8, 1)    \
	X(ELEM_DROP, 3, 0)     \
	X(FUEL, 3, 1)          \
	X(FUEL_N, 4, 1)

/* Every internal op, as rows WT_VM_OP(NAME, length in words, traps): a
 * consumer defines WT_VM_OP, expands WT_VM_OPS, then undefines it. Each
 * list row above becomes its ops' rows here. Length 0: variable. */
#define WT_VM_ROW_BINI(n, t, r, e) WT_VM_OP(n, 5, 0) WT_VM_OP(n##_I, 5, 0)
#define WT_VM_ROW_CMP(n, t, e)        \
	WT_VM_OP(n, 5, 0)             \
	WT_VM_OP(n##_I, 5, 0)         \
	WT_VM_OP(BR_IF_##n, 5, 1)     \
	WT_VM_OP(BR_IFNOT_##n, 5, 1)  \
	WT_VM_OP(BR_IF_##n##_I, 5, 1) \
	WT_VM_OP(BR_IFNOT_##n##_I, 5, 1)
#define WT_VM_ROW_BINT(n, t, h) WT_VM_OP(n, 5, 1) WT_VM_OP(n##_I, 5, 1)
#define WT_VM_ROW_BINF(n, t, r, e) WT_VM_OP(n, 5, 0)
#define WT_VM_ROW_UN(n, t, r, e) WT_VM_OP(n, 4, 0)
#define WT_VM_ROW_UNT(n, t, r, h) WT_VM_OP(n, 4, 1)
#define WT_VM_ROW_LOAD(n, r, m, c) WT_VM_OP(n, 5, 1)
#define WT_VM_ROW_STORE(n, t, m) WT_VM_OP(n, 5, 1)
/* SIMD rows: length and traps by shape (vm_simd_ops.h). */
enum {
	WT_VM_LEN_BIN = 5,
	WT_VM_LEN_UN = 4,
	WT_VM_LEN_TERN = 6,
	WT_VM_LEN_SHIFT = 5,
	WT_VM_LEN_SPLAT = 4,
	WT_VM_LEN_EXTRACT = 5,
	WT_VM_LEN_REPLACE = 6,
	WT_VM_LEN_TEST = 4,
	WT_VM_LEN_LOAD = 5,
	WT_VM_LEN_LOADLANE = 7,
	WT_VM_LEN_STORE = 5,
	WT_VM_LEN_STORELANE = 6,
	WT_VM_LEN_SHUFFLE = 9,
	WT_VM_TRAPS_BIN = 0,
	WT_VM_TRAPS_UN = 0,
	WT_VM_TRAPS_TERN = 0,
	WT_VM_TRAPS_SHIFT = 0,
	WT_VM_TRAPS_SPLAT = 0,
	WT_VM_TRAPS_EXTRACT = 0,
	WT_VM_TRAPS_REPLACE = 0,
	WT_VM_TRAPS_TEST = 0,
	WT_VM_TRAPS_LOAD = 1,
	WT_VM_TRAPS_LOADLANE = 1,
	WT_VM_TRAPS_STORE = 1,
	WT_VM_TRAPS_STORELANE = 1,
	WT_VM_TRAPS_SHUFFLE = 0,
};
#define WT_VM_ROW_SIMD(n, shape, size, ...) WT_VM_OP(n, WT_VM_LEN_##shape, WT_VM_TRAPS_##shape)
#define WT_VM_OPS                         \
	WT_VM_MISC_LIST(WT_VM_OP)         \
	WT_VM_BINI_LIST(WT_VM_ROW_BINI)   \
	WT_VM_CMP_LIST(WT_VM_ROW_CMP)     \
	WT_VM_BINT_LIST(WT_VM_ROW_BINT)   \
	WT_VM_BINF_LIST(WT_VM_ROW_BINF)   \
	WT_VM_UN_LIST(WT_VM_ROW_UN)       \
	WT_VM_UNT_LIST(WT_VM_ROW_UNT)     \
	WT_VM_LOAD_LIST(WT_VM_ROW_LOAD)   \
	WT_VM_STORE_LIST(WT_VM_ROW_STORE) \
	WT_VM_SIMD_LIST(WT_VM_ROW_SIMD)

/* The internal op numbers: WT_V_<NAME>. */
typedef enum {
#define WT_VM_OP(name, len, traps) WT_V_##name,
	WT_VM_OPS
#undef WT_VM_OP
	    WT_V_COUNT
} wt_vop;

/* Per op: length in words (0 = variable) and whether it may trap (the
 * compiler then records its WebAssembly offset in the trap table). */
typedef struct wt_vop_info {
	uint8_t len;
	uint8_t traps;
} wt_vop_info;
extern const wt_vop_info wt_vop_table[WT_V_COUNT];

/* One entry of a compiled function's trap table: the instruction at word
 * `at` came from the WebAssembly instruction at byte `offset`. */
typedef struct wt_trapsite {
	uint32_t at;
	uint32_t offset;
} wt_trapsite;

struct wt_code {
	uint32_t *words;
	uint32_t nwords;
	uint32_t nparams, nresults;
	uint32_t nlocals;    /* declared locals (zeroed at entry), after the params */
	uint32_t const_base; /* first constant slot */
	uint32_t nconsts;
	wt_slot *consts;     /* copied to fp[const_base..] at entry */
	uint32_t frame_size; /* slots the frame needs from fp */
	wt_meminst *mem;     /* memory 0 of the instance, else &nomem */
	wt_meminst nomem;    /* an empty memory: size 0 */
	wt_funcinst *func;
	uint32_t ntraps;
	wt_trapsite *traps; /* sorted by `at` */
	uint32_t hot_left;  /* calls and loop back-edges until the store's hot
			       hook (UINT32_MAX without one); see vm.c */
};

/* One frame of the store's frame stack: where to return to. ip == NULL
 * marks the frame of a wt_call: returning to it leaves the loop. */
struct wt_frame {
	const uint32_t *ip;
	wt_slot *fp;
	wt_code *code;
};

/* What a compiled body (core/jit/) runs with: the store, and the trap to
 * fill when it traps (located, like the interpreter's). */
struct wt_jit_ctx {
	wt_store *s;
	wt_trap *trap;
	const char *floor; /* compiled calls trap as the depth limit does below this
			      C stack address (wt_vm_stack_floor); NULL: unchecked */
};

/* The lowest C stack address of the calling thread that compiled code may
 * call at, leaving room for host calls; NULL when unknown. Found once per
 * thread (call.c). */
const char *wt_vm_stack_floor(void);

/* Prepares the frame of a function: zeroes its declared locals and copies
 * its constants. */
static inline void wt_vm_frame_init(const wt_code *c, wt_slot *fp)
{
	wt_slot *l = fp + c->nparams;
	for (uint32_t i = 0; i < c->nlocals; i++)
		l[i] = 0;
	wt_slot *k = fp + c->const_base;
	for (uint32_t i = 0; i < c->nconsts; i++)
		k[i] = c->consts[i];
}

/* Calls host function f with its arguments (and results) at args; a
 * nested wt_call starts at stack_top, at call depth depth. 0, or non-zero
 * with *trap filled (not located); an interrupt that came while it ran is
 * a timeout (vm.c). */
int wt_vm_host_call(wt_store *s, wt_funcinst *f, wt_instance *caller, wt_slot *args,
		    wt_slot *stack_top, uint32_t depth, wt_trap *trap);

/* Runs the interpreted body of f, whose frame at fp the caller has
 * checked, counted in s->depth and set up (wt_vm_frame_init); for a
 * compiled body that calls an interpreted one. 0, or -1 with *trap
 * filled and located (vm.c). */
int wt_vm_run_body(wt_store *s, wt_funcinst *f, wt_slot *fp, wt_trap *trap);

/* Compiles f on its first call: 0, or a trap kind with trap->msg set
 * (vm.c). */
int wt_vm_compile(wt_funcinst *f, wt_trap *trap);

/* The handlers' label addresses, indexed by wt_vop, when the loop
 * dispatches by computed goto; NULL when it uses a switch (then the first
 * two words of an instruction hold its op number) (vm.c). */
const void *const *wt_vm_handlers(void);

/* Runs f with its arguments at fp[0..nparams) until it returns; results at
 * fp[0..nresults). The store's stacks are allocated and fp lies in them.
 * Returns 0, or -1 with *trap filled (vm.c). */
int wt_vm_run(wt_store *s, wt_funcinst *f, wt_slot *fp, wt_trap *trap);

/* Fills the location of a trap in function f (index, name, code offset)
 * from its compiled code and the word index of the trapping instruction;
 * code may be NULL (the trap happened on entry) (call.c). */
void wt_vm_locate(wt_trap *trap, const wt_funcinst *f, const wt_code *code, uint32_t at);

static inline uint64_t wt_code_rd64(const uint32_t *w)
{
	uint64_t v;
	memcpy(&v, w, sizeof v);
	return v;
}

#endif
