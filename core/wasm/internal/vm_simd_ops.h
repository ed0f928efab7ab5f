/* vm_simd_ops.h: the vector (v128) ops of the internal code, one row each, with their handler
 * bodies (plain C over the lanes of wt_v128; vm_simd.h gives the shapes). */
#ifndef WT_VM_SIMD_OPS_H
#define WT_VM_SIMD_OPS_H

/*
 * X(NAME, shape, bytes, body): NAME is the opcodes.h name (the compiler maps
 * WT_OP_NAME to WT_V_NAME); bytes is the memory access size of a load or
 * store. Shapes, their operands (after the two handler words) and what the
 * body sees (a, b, c: the v128 operands; r: the v128 result; x: a scalar
 * operand or result; n: a shift count; L: a lane; m: the memory at the
 * effective address; sh: the 16 shuffle indices):
 *
 *   BIN        d a b              r = f(a, b)
 *   UN         d a                r = f(a)
 *   TERN       d a b c            r = f(a, b, c)
 *   SHIFT      d a b              r = f(a, n = fp[b])
 *   SPLAT      d a                r = f(x = fp[a])
 *   EXTRACT    d a L              x = f(a, L), fp[d] = x
 *   REPLACE    d a b L            r = a with lane L from x = fp[b]
 *   TEST       d a                x = f(a) (an i32)
 *   LOAD       d a k              r = f(m), m = mem + fp[a] + k
 *   LOADLANE   d a b k L          r = fp[b] with lane L from m
 *   STORE      a b k              m = f(a = fp[b])
 *   STORELANE  a b k L            lane L of a = fp[b] to m
 *   SHUFFLE    d a b sh[16]       r = f(a, b, sh)
 *
 * A v128 operand or result slot i names fp[i] and fp[i + 1] (low half first).
 * WT_VEC(vector, plain): the body with GCC/Clang vector extensions, and the
 * plain-C body over the lanes (vm_simd.h picks one; WT_VM_PLAIN_LANES forces
 * the plain one). Both have the same results.
 */
#define WT_VM_SIMD_LIST(X)                                                                         \
	X(V128_LOAD, LOAD, 16, memcpy(&r, m, 16))                                                  \
	X(V128_LOAD8X8_S, LOAD, 8, wt_v128 t; memcpy(&t, m, 8); FOR(8) r.i16[i] = t.i8[i])         \
	X(V128_LOAD8X8_U, LOAD, 8, wt_v128 t; memcpy(&t, m, 8); FOR(8) r.u16[i] = t.u8[i])         \
	X(V128_LOAD16X4_S, LOAD, 8, wt_v128 t; memcpy(&t, m, 8); FOR(4) r.i32[i] = t.i16[i])       \
	X(V128_LOAD16X4_U, LOAD, 8, wt_v128 t; memcpy(&t, m, 8); FOR(4) r.u32[i] = t.u16[i])       \
	X(V128_LOAD32X2_S, LOAD, 8, wt_v128 t; memcpy(&t, m, 8); FOR(2) r.i64[i] = t.i32[i])       \
	X(V128_LOAD32X2_U, LOAD, 8, wt_v128 t; memcpy(&t, m, 8); FOR(2) r.u64[i] = t.u32[i])       \
	X(V128_LOAD8_SPLAT, LOAD, 1, wt_v128 t; memcpy(&t, m, 1); FOR(16) r.u8[i] = t.u8[0])       \
	X(V128_LOAD16_SPLAT, LOAD, 2, wt_v128 t; memcpy(&t, m, 2); FOR(8) r.u16[i] = t.u16[0])     \
	X(V128_LOAD32_SPLAT, LOAD, 4, wt_v128 t; memcpy(&t, m, 4); FOR(4) r.u32[i] = t.u32[0])     \
	X(V128_LOAD64_SPLAT, LOAD, 8, wt_v128 t; memcpy(&t, m, 8); FOR(2) r.u64[i] = t.u64[0])     \
	X(V128_STORE, STORE, 16, memcpy(m, &a, 16))                                                \
	X(V128_LOAD8_LANE, LOADLANE, 1, memcpy(r.u8 + L * 1, m, 1))                                \
	X(V128_STORE8_LANE, STORELANE, 1, memcpy(m, a.u8 + L * 1, 1))                              \
	X(V128_LOAD16_LANE, LOADLANE, 2, memcpy(r.u8 + L * 2, m, 2))                               \
	X(V128_STORE16_LANE, STORELANE, 2, memcpy(m, a.u8 + L * 2, 2))                             \
	X(V128_LOAD32_LANE, LOADLANE, 4, memcpy(r.u8 + L * 4, m, 4))                               \
	X(V128_STORE32_LANE, STORELANE, 4, memcpy(m, a.u8 + L * 4, 4))                             \
	X(V128_LOAD64_LANE, LOADLANE, 8, memcpy(r.u8 + L * 8, m, 8))                               \
	X(V128_STORE64_LANE, STORELANE, 8, memcpy(m, a.u8 + L * 8, 8))                             \
	X(V128_LOAD32_ZERO, LOAD, 4, memset(&r, 0, 16); memcpy(&r, m, 4))                          \
	X(V128_LOAD64_ZERO, LOAD, 8, memset(&r, 0, 16); memcpy(&r, m, 8))                          \
	X(I8X16_SHUFFLE, SHUFFLE, 0,                                                               \
	  FOR(16) r.u8[i] = sh[i] < 16 ? a.u8[sh[i]] : b.u8[sh[i] & 15])                           \
	X(I8X16_SWIZZLE, BIN, 0, FOR(16) r.u8[i] = b.u8[i] < 16 ? a.u8[b.u8[i]] : 0)               \
	X(I8X16_SPLAT, SPLAT, 0,                                                                   \
	  WT_VEC(r.vu8 = (wt_vu8){0} + (uint8_t)x, FOR(16) r.u8[i] = (uint8_t)x))                  \
	X(I16X8_SPLAT, SPLAT, 0,                                                                   \
	  WT_VEC(r.vu16 = (wt_vu16){0} + (uint16_t)x, FOR(8) r.u16[i] = (uint16_t)x))              \
	X(I32X4_SPLAT, SPLAT, 0,                                                                   \
	  WT_VEC(r.vu32 = (wt_vu32){0} + (uint32_t)x, FOR(4) r.u32[i] = (uint32_t)x))              \
	X(I64X2_SPLAT, SPLAT, 0,                                                                   \
	  WT_VEC(r.vu64 = (wt_vu64){0} + (uint64_t)x, FOR(2) r.u64[i] = (uint64_t)x))              \
	X(F32X4_SPLAT, SPLAT, 0,                                                                   \
	  WT_VEC(r.vu32 = (wt_vu32){0} + (uint32_t)x, FOR(4) r.u32[i] = (uint32_t)x))              \
	X(F64X2_SPLAT, SPLAT, 0,                                                                   \
	  WT_VEC(r.vu64 = (wt_vu64){0} + (uint64_t)x, FOR(2) r.u64[i] = (uint64_t)x))              \
	X(I8X16_EXTRACT_LANE_S, EXTRACT, 0, x = (uint32_t)(int32_t)a.i8[L])                        \
	X(I8X16_EXTRACT_LANE_U, EXTRACT, 0, x = a.u8[L])                                           \
	X(I8X16_REPLACE_LANE, REPLACE, 0, r.u8[L] = (uint8_t)x)                                    \
	X(I16X8_EXTRACT_LANE_S, EXTRACT, 0, x = (uint32_t)(int32_t)a.i16[L])                       \
	X(I16X8_EXTRACT_LANE_U, EXTRACT, 0, x = a.u16[L])                                          \
	X(I16X8_REPLACE_LANE, REPLACE, 0, r.u16[L] = (uint16_t)x)                                  \
	X(I32X4_EXTRACT_LANE, EXTRACT, 0, x = a.u32[L])                                            \
	X(I32X4_REPLACE_LANE, REPLACE, 0, r.u32[L] = (uint32_t)x)                                  \
	X(I64X2_EXTRACT_LANE, EXTRACT, 0, x = a.u64[L])                                            \
	X(I64X2_REPLACE_LANE, REPLACE, 0, r.u64[L] = x)                                            \
	X(F32X4_EXTRACT_LANE, EXTRACT, 0, x = a.u32[L])                                            \
	X(F32X4_REPLACE_LANE, REPLACE, 0, r.u32[L] = (uint32_t)x)                                  \
	X(F64X2_EXTRACT_LANE, EXTRACT, 0, x = a.u64[L])                                            \
	X(F64X2_REPLACE_LANE, REPLACE, 0, r.u64[L] = x)                                            \
	X(I8X16_EQ, BIN, 0,                                                                        \
	  WT_VEC(r.vi8 = (wt_vi8)(a.vu8 == b.vu8),                                                 \
		 FOR(16) r.i8[i] = -(int8_t)(a.u8[i] == b.u8[i])))                                 \
	X(I8X16_NE, BIN, 0,                                                                        \
	  WT_VEC(r.vi8 = (wt_vi8)(a.vu8 != b.vu8),                                                 \
		 FOR(16) r.i8[i] = -(int8_t)(a.u8[i] != b.u8[i])))                                 \
	X(I8X16_LT_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi8 = (wt_vi8)(a.vi8 < b.vi8), FOR(16) r.i8[i] = -(int8_t)(a.i8[i] < b.i8[i]))) \
	X(I8X16_LT_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi8 = (wt_vi8)(a.vu8 < b.vu8), FOR(16) r.i8[i] = -(int8_t)(a.u8[i] < b.u8[i]))) \
	X(I8X16_GT_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi8 = (wt_vi8)(a.vi8 > b.vi8), FOR(16) r.i8[i] = -(int8_t)(a.i8[i] > b.i8[i]))) \
	X(I8X16_GT_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi8 = (wt_vi8)(a.vu8 > b.vu8), FOR(16) r.i8[i] = -(int8_t)(a.u8[i] > b.u8[i]))) \
	X(I8X16_LE_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi8 = (wt_vi8)(a.vi8 <= b.vi8),                                                 \
		 FOR(16) r.i8[i] = -(int8_t)(a.i8[i] <= b.i8[i])))                                 \
	X(I8X16_LE_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi8 = (wt_vi8)(a.vu8 <= b.vu8),                                                 \
		 FOR(16) r.i8[i] = -(int8_t)(a.u8[i] <= b.u8[i])))                                 \
	X(I8X16_GE_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi8 = (wt_vi8)(a.vi8 >= b.vi8),                                                 \
		 FOR(16) r.i8[i] = -(int8_t)(a.i8[i] >= b.i8[i])))                                 \
	X(I8X16_GE_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi8 = (wt_vi8)(a.vu8 >= b.vu8),                                                 \
		 FOR(16) r.i8[i] = -(int8_t)(a.u8[i] >= b.u8[i])))                                 \
	X(I16X8_EQ, BIN, 0,                                                                        \
	  WT_VEC(r.vi16 = (wt_vi16)(a.vu16 == b.vu16),                                             \
		 FOR(8) r.i16[i] = -(int16_t)(a.u16[i] == b.u16[i])))                              \
	X(I16X8_NE, BIN, 0,                                                                        \
	  WT_VEC(r.vi16 = (wt_vi16)(a.vu16 != b.vu16),                                             \
		 FOR(8) r.i16[i] = -(int16_t)(a.u16[i] != b.u16[i])))                              \
	X(I16X8_LT_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi16 = (wt_vi16)(a.vi16 < b.vi16),                                              \
		 FOR(8) r.i16[i] = -(int16_t)(a.i16[i] < b.i16[i])))                               \
	X(I16X8_LT_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi16 = (wt_vi16)(a.vu16 < b.vu16),                                              \
		 FOR(8) r.i16[i] = -(int16_t)(a.u16[i] < b.u16[i])))                               \
	X(I16X8_GT_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi16 = (wt_vi16)(a.vi16 > b.vi16),                                              \
		 FOR(8) r.i16[i] = -(int16_t)(a.i16[i] > b.i16[i])))                               \
	X(I16X8_GT_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi16 = (wt_vi16)(a.vu16 > b.vu16),                                              \
		 FOR(8) r.i16[i] = -(int16_t)(a.u16[i] > b.u16[i])))                               \
	X(I16X8_LE_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi16 = (wt_vi16)(a.vi16 <= b.vi16),                                             \
		 FOR(8) r.i16[i] = -(int16_t)(a.i16[i] <= b.i16[i])))                              \
	X(I16X8_LE_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi16 = (wt_vi16)(a.vu16 <= b.vu16),                                             \
		 FOR(8) r.i16[i] = -(int16_t)(a.u16[i] <= b.u16[i])))                              \
	X(I16X8_GE_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi16 = (wt_vi16)(a.vi16 >= b.vi16),                                             \
		 FOR(8) r.i16[i] = -(int16_t)(a.i16[i] >= b.i16[i])))                              \
	X(I16X8_GE_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi16 = (wt_vi16)(a.vu16 >= b.vu16),                                             \
		 FOR(8) r.i16[i] = -(int16_t)(a.u16[i] >= b.u16[i])))                              \
	X(I32X4_EQ, BIN, 0,                                                                        \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vu32 == b.vu32),                                             \
		 FOR(4) r.i32[i] = -(int32_t)(a.u32[i] == b.u32[i])))                              \
	X(I32X4_NE, BIN, 0,                                                                        \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vu32 != b.vu32),                                             \
		 FOR(4) r.i32[i] = -(int32_t)(a.u32[i] != b.u32[i])))                              \
	X(I32X4_LT_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vi32 < b.vi32),                                              \
		 FOR(4) r.i32[i] = -(int32_t)(a.i32[i] < b.i32[i])))                               \
	X(I32X4_LT_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vu32 < b.vu32),                                              \
		 FOR(4) r.i32[i] = -(int32_t)(a.u32[i] < b.u32[i])))                               \
	X(I32X4_GT_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vi32 > b.vi32),                                              \
		 FOR(4) r.i32[i] = -(int32_t)(a.i32[i] > b.i32[i])))                               \
	X(I32X4_GT_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vu32 > b.vu32),                                              \
		 FOR(4) r.i32[i] = -(int32_t)(a.u32[i] > b.u32[i])))                               \
	X(I32X4_LE_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vi32 <= b.vi32),                                             \
		 FOR(4) r.i32[i] = -(int32_t)(a.i32[i] <= b.i32[i])))                              \
	X(I32X4_LE_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vu32 <= b.vu32),                                             \
		 FOR(4) r.i32[i] = -(int32_t)(a.u32[i] <= b.u32[i])))                              \
	X(I32X4_GE_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vi32 >= b.vi32),                                             \
		 FOR(4) r.i32[i] = -(int32_t)(a.i32[i] >= b.i32[i])))                              \
	X(I32X4_GE_U, BIN, 0,                                                                      \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vu32 >= b.vu32),                                             \
		 FOR(4) r.i32[i] = -(int32_t)(a.u32[i] >= b.u32[i])))                              \
	X(I64X2_EQ, BIN, 0,                                                                        \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vu64 == b.vu64),                                             \
		 FOR(2) r.i64[i] = -(int64_t)(a.u64[i] == b.u64[i])))                              \
	X(I64X2_NE, BIN, 0,                                                                        \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vu64 != b.vu64),                                             \
		 FOR(2) r.i64[i] = -(int64_t)(a.u64[i] != b.u64[i])))                              \
	X(I64X2_LT_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vi64 < b.vi64),                                              \
		 FOR(2) r.i64[i] = -(int64_t)(a.i64[i] < b.i64[i])))                               \
	X(I64X2_GT_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vi64 > b.vi64),                                              \
		 FOR(2) r.i64[i] = -(int64_t)(a.i64[i] > b.i64[i])))                               \
	X(I64X2_LE_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vi64 <= b.vi64),                                             \
		 FOR(2) r.i64[i] = -(int64_t)(a.i64[i] <= b.i64[i])))                              \
	X(I64X2_GE_S, BIN, 0,                                                                      \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vi64 >= b.vi64),                                             \
		 FOR(2) r.i64[i] = -(int64_t)(a.i64[i] >= b.i64[i])))                              \
	X(F32X4_EQ, BIN, 0,                                                                        \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vf32 == b.vf32),                                             \
		 FOR(4) r.i32[i] = -(int32_t)(a.f32[i] == b.f32[i])))                              \
	X(F32X4_NE, BIN, 0,                                                                        \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vf32 != b.vf32),                                             \
		 FOR(4) r.i32[i] = -(int32_t)(a.f32[i] != b.f32[i])))                              \
	X(F32X4_LT, BIN, 0,                                                                        \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vf32 < b.vf32),                                              \
		 FOR(4) r.i32[i] = -(int32_t)(a.f32[i] < b.f32[i])))                               \
	X(F32X4_GT, BIN, 0,                                                                        \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vf32 > b.vf32),                                              \
		 FOR(4) r.i32[i] = -(int32_t)(a.f32[i] > b.f32[i])))                               \
	X(F32X4_LE, BIN, 0,                                                                        \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vf32 <= b.vf32),                                             \
		 FOR(4) r.i32[i] = -(int32_t)(a.f32[i] <= b.f32[i])))                              \
	X(F32X4_GE, BIN, 0,                                                                        \
	  WT_VEC(r.vi32 = (wt_vi32)(a.vf32 >= b.vf32),                                             \
		 FOR(4) r.i32[i] = -(int32_t)(a.f32[i] >= b.f32[i])))                              \
	X(F64X2_EQ, BIN, 0,                                                                        \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vf64 == b.vf64),                                             \
		 FOR(2) r.i64[i] = -(int64_t)(a.f64[i] == b.f64[i])))                              \
	X(F64X2_NE, BIN, 0,                                                                        \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vf64 != b.vf64),                                             \
		 FOR(2) r.i64[i] = -(int64_t)(a.f64[i] != b.f64[i])))                              \
	X(F64X2_LT, BIN, 0,                                                                        \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vf64 < b.vf64),                                              \
		 FOR(2) r.i64[i] = -(int64_t)(a.f64[i] < b.f64[i])))                               \
	X(F64X2_GT, BIN, 0,                                                                        \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vf64 > b.vf64),                                              \
		 FOR(2) r.i64[i] = -(int64_t)(a.f64[i] > b.f64[i])))                               \
	X(F64X2_LE, BIN, 0,                                                                        \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vf64 <= b.vf64),                                             \
		 FOR(2) r.i64[i] = -(int64_t)(a.f64[i] <= b.f64[i])))                              \
	X(F64X2_GE, BIN, 0,                                                                        \
	  WT_VEC(r.vi64 = (wt_vi64)(a.vf64 >= b.vf64),                                             \
		 FOR(2) r.i64[i] = -(int64_t)(a.f64[i] >= b.f64[i])))                              \
	X(V128_NOT, UN, 0, WT_VEC(r.vu64 = ~a.vu64, FOR(2) r.u64[i] = ~a.u64[i]))                  \
	X(V128_AND, BIN, 0,                                                                        \
	  WT_VEC(r.vu64 = a.vu64 & b.vu64, FOR(2) r.u64[i] = a.u64[i] & b.u64[i]))                 \
	X(V128_ANDNOT, BIN, 0,                                                                     \
	  WT_VEC(r.vu64 = a.vu64 & ~b.vu64, FOR(2) r.u64[i] = a.u64[i] & ~b.u64[i]))               \
	X(V128_OR, BIN, 0,                                                                         \
	  WT_VEC(r.vu64 = a.vu64 | b.vu64, FOR(2) r.u64[i] = a.u64[i] | b.u64[i]))                 \
	X(V128_XOR, BIN, 0,                                                                        \
	  WT_VEC(r.vu64 = a.vu64 ^ b.vu64, FOR(2) r.u64[i] = a.u64[i] ^ b.u64[i]))                 \
	X(V128_BITSELECT, TERN, 0,                                                                 \
	  WT_VEC(r.vu64 = (a.vu64 & c.vu64) | (b.vu64 & ~c.vu64),                                  \
		 FOR(2) r.u64[i] = (a.u64[i] & c.u64[i]) | (b.u64[i] & ~c.u64[i])))                \
	X(V128_ANY_TRUE, TEST, 0, x = (a.u64[0] | a.u64[1]) != 0)                                  \
	X(F32X4_DEMOTE_F64X2_ZERO, UN, 0, r.f32[0] = (float)a.f64[0]; r.f32[1] = (float)a.f64[1];  \
	  r.u32[2] = r.u32[3] = 0)                                                                 \
	X(F64X2_PROMOTE_LOW_F32X4, UN, 0, r.f64[0] = (double)a.f32[0];                             \
	  r.f64[1] = (double)a.f32[1])                                                             \
	X(I8X16_ABS, UN, 0,                                                                        \
	  FOR(16) r.u8[i] = a.i8[i] < 0 ? (uint8_t)(0 - (uint8_t)a.u8[i]) : a.u8[i])               \
	X(I8X16_NEG, UN, 0, FOR(16) r.u8[i] = (uint8_t)(0 - (uint32_t)a.u8[i]))                    \
	X(I8X16_ALL_TRUE, TEST, 0, x = 1; FOR(16) x &= a.u8[i] != 0)                               \
	X(I8X16_BITMASK, TEST, 0, x = 0; FOR(16) x |= (uint32_t)(a.i8[i] < 0) << i)                \
	X(I8X16_SHL, SHIFT, 0,                                                                     \
	  WT_VEC(r.vu8 = a.vu8 << (uint8_t)(n & 7),                                                \
		 FOR(16) r.u8[i] = (uint8_t)(a.u8[i] << (n & 7))))                                 \
	X(I8X16_SHR_S, SHIFT, 0,                                                                   \
	  WT_VEC(r.vi8 = a.vi8 >> (int8_t)(n & 7),                                                 \
		 FOR(16) r.i8[i] = (int8_t)(a.i8[i] >> (n & 7))))                                  \
	X(I8X16_SHR_U, SHIFT, 0,                                                                   \
	  WT_VEC(r.vu8 = a.vu8 >> (uint8_t)(n & 7),                                                \
		 FOR(16) r.u8[i] = (uint8_t)(a.u8[i] >> (n & 7))))                                 \
	X(I8X16_ADD, BIN, 0,                                                                       \
	  WT_VEC(r.vu8 = a.vu8 + b.vu8, FOR(16) r.u8[i] = (uint8_t)(a.u8[i] + b.u8[i])))           \
	X(I8X16_SUB, BIN, 0,                                                                       \
	  WT_VEC(r.vu8 = a.vu8 - b.vu8, FOR(16) r.u8[i] = (uint8_t)(a.u8[i] - b.u8[i])))           \
	X(I8X16_MIN_S, BIN, 0, FOR(16) r.i8[i] = a.i8[i] < b.i8[i] ? a.i8[i] : b.i8[i])            \
	X(I8X16_MIN_U, BIN, 0, FOR(16) r.u8[i] = a.u8[i] < b.u8[i] ? a.u8[i] : b.u8[i])            \
	X(I8X16_MAX_S, BIN, 0, FOR(16) r.i8[i] = a.i8[i] > b.i8[i] ? a.i8[i] : b.i8[i])            \
	X(I8X16_MAX_U, BIN, 0, FOR(16) r.u8[i] = a.u8[i] > b.u8[i] ? a.u8[i] : b.u8[i])            \
	X(I8X16_ADD_SAT_S, BIN, 0, FOR(16) r.i8[i] = (int8_t)vm_sat(a.i8[i] + b.i8[i], -128, 127)) \
	X(I8X16_ADD_SAT_U, BIN, 0, FOR(16) r.u8[i] = (uint8_t)vm_sat(a.u8[i] + b.u8[i], 0, 255))   \
	X(I8X16_SUB_SAT_S, BIN, 0, FOR(16) r.i8[i] = (int8_t)vm_sat(a.i8[i] - b.i8[i], -128, 127)) \
	X(I8X16_SUB_SAT_U, BIN, 0, FOR(16) r.u8[i] = (uint8_t)vm_sat(a.u8[i] - b.u8[i], 0, 255))   \
	X(I8X16_AVGR_U, BIN, 0, FOR(16) r.u8[i] = (uint8_t)((a.u8[i] + b.u8[i] + 1) >> 1))         \
	X(I16X8_ABS, UN, 0,                                                                        \
	  FOR(8) r.u16[i] = a.i16[i] < 0 ? (uint16_t)(0 - (uint16_t)a.u16[i]) : a.u16[i])          \
	X(I16X8_NEG, UN, 0, FOR(8) r.u16[i] = (uint16_t)(0 - (uint32_t)a.u16[i]))                  \
	X(I16X8_ALL_TRUE, TEST, 0, x = 1; FOR(8) x &= a.u16[i] != 0)                               \
	X(I16X8_BITMASK, TEST, 0, x = 0; FOR(8) x |= (uint32_t)(a.i16[i] < 0) << i)                \
	X(I16X8_SHL, SHIFT, 0,                                                                     \
	  WT_VEC(r.vu16 = a.vu16 << (uint16_t)(n & 15),                                            \
		 FOR(8) r.u16[i] = (uint16_t)(a.u16[i] << (n & 15))))                              \
	X(I16X8_SHR_S, SHIFT, 0,                                                                   \
	  WT_VEC(r.vi16 = a.vi16 >> (int16_t)(n & 15),                                             \
		 FOR(8) r.i16[i] = (int16_t)(a.i16[i] >> (n & 15))))                               \
	X(I16X8_SHR_U, SHIFT, 0,                                                                   \
	  WT_VEC(r.vu16 = a.vu16 >> (uint16_t)(n & 15),                                            \
		 FOR(8) r.u16[i] = (uint16_t)(a.u16[i] >> (n & 15))))                              \
	X(I16X8_ADD, BIN, 0,                                                                       \
	  WT_VEC(r.vu16 = a.vu16 + b.vu16, FOR(8) r.u16[i] = (uint16_t)(a.u16[i] + b.u16[i])))     \
	X(I16X8_SUB, BIN, 0,                                                                       \
	  WT_VEC(r.vu16 = a.vu16 - b.vu16, FOR(8) r.u16[i] = (uint16_t)(a.u16[i] - b.u16[i])))     \
	X(I16X8_MUL, BIN, 0,                                                                       \
	  WT_VEC(r.vu16 = a.vu16 * b.vu16,                                                         \
		 FOR(8) r.u16[i] = (uint16_t)((uint32_t)a.u16[i] * b.u16[i])))                     \
	X(I16X8_MIN_S, BIN, 0, FOR(8) r.i16[i] = a.i16[i] < b.i16[i] ? a.i16[i] : b.i16[i])        \
	X(I16X8_MIN_U, BIN, 0, FOR(8) r.u16[i] = a.u16[i] < b.u16[i] ? a.u16[i] : b.u16[i])        \
	X(I16X8_MAX_S, BIN, 0, FOR(8) r.i16[i] = a.i16[i] > b.i16[i] ? a.i16[i] : b.i16[i])        \
	X(I16X8_MAX_U, BIN, 0, FOR(8) r.u16[i] = a.u16[i] > b.u16[i] ? a.u16[i] : b.u16[i])        \
	X(I16X8_ADD_SAT_S, BIN, 0,                                                                 \
	  FOR(8) r.i16[i] = (int16_t)vm_sat(a.i16[i] + b.i16[i], -32768, 32767))                   \
	X(I16X8_ADD_SAT_U, BIN, 0,                                                                 \
	  FOR(8) r.u16[i] = (uint16_t)vm_sat(a.u16[i] + b.u16[i], 0, 65535))                       \
	X(I16X8_SUB_SAT_S, BIN, 0,                                                                 \
	  FOR(8) r.i16[i] = (int16_t)vm_sat(a.i16[i] - b.i16[i], -32768, 32767))                   \
	X(I16X8_SUB_SAT_U, BIN, 0,                                                                 \
	  FOR(8) r.u16[i] = (uint16_t)vm_sat(a.u16[i] - b.u16[i], 0, 65535))                       \
	X(I16X8_AVGR_U, BIN, 0, FOR(8) r.u16[i] = (uint16_t)((a.u16[i] + b.u16[i] + 1) >> 1))      \
	X(I32X4_ABS, UN, 0,                                                                        \
	  FOR(4) r.u32[i] = a.i32[i] < 0 ? (uint32_t)(0 - (uint32_t)a.u32[i]) : a.u32[i])          \
	X(I32X4_NEG, UN, 0, FOR(4) r.u32[i] = (uint32_t)(0 - (uint32_t)a.u32[i]))                  \
	X(I32X4_ALL_TRUE, TEST, 0, x = 1; FOR(4) x &= a.u32[i] != 0)                               \
	X(I32X4_BITMASK, TEST, 0, x = 0; FOR(4) x |= (uint32_t)(a.i32[i] < 0) << i)                \
	X(I32X4_SHL, SHIFT, 0,                                                                     \
	  WT_VEC(r.vu32 = a.vu32 << (uint32_t)(n & 31),                                            \
		 FOR(4) r.u32[i] = (uint32_t)(a.u32[i] << (n & 31))))                              \
	X(I32X4_SHR_S, SHIFT, 0,                                                                   \
	  WT_VEC(r.vi32 = a.vi32 >> (int32_t)(n & 31),                                             \
		 FOR(4) r.i32[i] = (int32_t)(a.i32[i] >> (n & 31))))                               \
	X(I32X4_SHR_U, SHIFT, 0,                                                                   \
	  WT_VEC(r.vu32 = a.vu32 >> (uint32_t)(n & 31),                                            \
		 FOR(4) r.u32[i] = (uint32_t)(a.u32[i] >> (n & 31))))                              \
	X(I32X4_ADD, BIN, 0,                                                                       \
	  WT_VEC(r.vu32 = a.vu32 + b.vu32, FOR(4) r.u32[i] = (uint32_t)(a.u32[i] + b.u32[i])))     \
	X(I32X4_SUB, BIN, 0,                                                                       \
	  WT_VEC(r.vu32 = a.vu32 - b.vu32, FOR(4) r.u32[i] = (uint32_t)(a.u32[i] - b.u32[i])))     \
	X(I32X4_MUL, BIN, 0,                                                                       \
	  WT_VEC(r.vu32 = a.vu32 * b.vu32,                                                         \
		 FOR(4) r.u32[i] = (uint32_t)((uint32_t)a.u32[i] * b.u32[i])))                     \
	X(I32X4_MIN_S, BIN, 0, FOR(4) r.i32[i] = a.i32[i] < b.i32[i] ? a.i32[i] : b.i32[i])        \
	X(I32X4_MIN_U, BIN, 0, FOR(4) r.u32[i] = a.u32[i] < b.u32[i] ? a.u32[i] : b.u32[i])        \
	X(I32X4_MAX_S, BIN, 0, FOR(4) r.i32[i] = a.i32[i] > b.i32[i] ? a.i32[i] : b.i32[i])        \
	X(I32X4_MAX_U, BIN, 0, FOR(4) r.u32[i] = a.u32[i] > b.u32[i] ? a.u32[i] : b.u32[i])        \
	X(I64X2_ABS, UN, 0,                                                                        \
	  FOR(2) r.u64[i] = a.i64[i] < 0 ? (uint64_t)(0 - (uint64_t)a.u64[i]) : a.u64[i])          \
	X(I64X2_NEG, UN, 0, FOR(2) r.u64[i] = (uint64_t)(0 - (uint64_t)a.u64[i]))                  \
	X(I64X2_ALL_TRUE, TEST, 0, x = 1; FOR(2) x &= a.u64[i] != 0)                               \
	X(I64X2_BITMASK, TEST, 0, x = 0; FOR(2) x |= (uint32_t)(a.i64[i] < 0) << i)                \
	X(I64X2_SHL, SHIFT, 0,                                                                     \
	  WT_VEC(r.vu64 = a.vu64 << (uint64_t)(n & 63),                                            \
		 FOR(2) r.u64[i] = (uint64_t)(a.u64[i] << (n & 63))))                              \
	X(I64X2_SHR_S, SHIFT, 0,                                                                   \
	  WT_VEC(r.vi64 = a.vi64 >> (int64_t)(n & 63),                                             \
		 FOR(2) r.i64[i] = (int64_t)(a.i64[i] >> (n & 63))))                               \
	X(I64X2_SHR_U, SHIFT, 0,                                                                   \
	  WT_VEC(r.vu64 = a.vu64 >> (uint64_t)(n & 63),                                            \
		 FOR(2) r.u64[i] = (uint64_t)(a.u64[i] >> (n & 63))))                              \
	X(I64X2_ADD, BIN, 0,                                                                       \
	  WT_VEC(r.vu64 = a.vu64 + b.vu64, FOR(2) r.u64[i] = (uint64_t)(a.u64[i] + b.u64[i])))     \
	X(I64X2_SUB, BIN, 0,                                                                       \
	  WT_VEC(r.vu64 = a.vu64 - b.vu64, FOR(2) r.u64[i] = (uint64_t)(a.u64[i] - b.u64[i])))     \
	X(I64X2_MUL, BIN, 0,                                                                       \
	  WT_VEC(r.vu64 = a.vu64 * b.vu64,                                                         \
		 FOR(2) r.u64[i] = (uint64_t)((uint64_t)a.u64[i] * b.u64[i])))                     \
	X(I8X16_POPCNT, UN, 0, FOR(16) r.u8[i] = (uint8_t)__builtin_popcount(a.u8[i]))             \
	X(I8X16_NARROW_I16X8_S, BIN, 0, FOR(8) r.i8[i] = (int8_t)vm_sat(a.i16[i], -128, 127),      \
	  r.i8[i + 8] = (int8_t)vm_sat(b.i16[i], -128, 127))                                       \
	X(I8X16_NARROW_I16X8_U, BIN, 0, FOR(8) r.u8[i] = (uint8_t)vm_sat(a.i16[i], 0, 255),        \
	  r.u8[i + 8] = (uint8_t)vm_sat(b.i16[i], 0, 255))                                         \
	X(I16X8_NARROW_I32X4_S, BIN, 0,                                                            \
	  FOR(4) r.i16[i] = (int16_t)vm_sat(a.i32[i], -32768, 32767),                              \
	  r.i16[i + 4] = (int16_t)vm_sat(b.i32[i], -32768, 32767))                                 \
	X(I16X8_NARROW_I32X4_U, BIN, 0, FOR(4) r.u16[i] = (uint16_t)vm_sat(a.i32[i], 0, 65535),    \
	  r.u16[i + 4] = (uint16_t)vm_sat(b.i32[i], 0, 65535))                                     \
	X(I16X8_Q15MULR_SAT_S, BIN, 0,                                                             \
	  FOR(8) r.i16[i] = (int16_t)vm_sat((a.i16[i] * b.i16[i] + 0x4000) >> 15, -32768, 32767))  \
	X(I16X8_EXTEND_LOW_I8X16_S, UN, 0, FOR(8) r.i16[i] = a.i8[i + 0])                          \
	X(I16X8_EXTMUL_LOW_I8X16_S, BIN, 0, FOR(8) r.i16[i] = (int16_t)a.i8[i + 0] * b.i8[i + 0])  \
	X(I16X8_EXTEND_LOW_I8X16_U, UN, 0, FOR(8) r.u16[i] = a.u8[i + 0])                          \
	X(I16X8_EXTMUL_LOW_I8X16_U, BIN, 0, FOR(8) r.u16[i] = (uint16_t)a.u8[i + 0] * b.u8[i + 0]) \
	X(I16X8_EXTEND_HIGH_I8X16_S, UN, 0, FOR(8) r.i16[i] = a.i8[i + 8])                         \
	X(I16X8_EXTMUL_HIGH_I8X16_S, BIN, 0, FOR(8) r.i16[i] = (int16_t)a.i8[i + 8] * b.i8[i + 8]) \
	X(I16X8_EXTEND_HIGH_I8X16_U, UN, 0, FOR(8) r.u16[i] = a.u8[i + 8])                         \
	X(I16X8_EXTMUL_HIGH_I8X16_U, BIN, 0,                                                       \
	  FOR(8) r.u16[i] = (uint16_t)a.u8[i + 8] * b.u8[i + 8])                                   \
	X(I32X4_EXTEND_LOW_I16X8_S, UN, 0, FOR(4) r.i32[i] = a.i16[i + 0])                         \
	X(I32X4_EXTMUL_LOW_I16X8_S, BIN, 0,                                                        \
	  FOR(4) r.i32[i] = (int32_t)a.i16[i + 0] * b.i16[i + 0])                                  \
	X(I32X4_EXTEND_LOW_I16X8_U, UN, 0, FOR(4) r.u32[i] = a.u16[i + 0])                         \
	X(I32X4_EXTMUL_LOW_I16X8_U, BIN, 0,                                                        \
	  FOR(4) r.u32[i] = (uint32_t)a.u16[i + 0] * b.u16[i + 0])                                 \
	X(I32X4_EXTEND_HIGH_I16X8_S, UN, 0, FOR(4) r.i32[i] = a.i16[i + 4])                        \
	X(I32X4_EXTMUL_HIGH_I16X8_S, BIN, 0,                                                       \
	  FOR(4) r.i32[i] = (int32_t)a.i16[i + 4] * b.i16[i + 4])                                  \
	X(I32X4_EXTEND_HIGH_I16X8_U, UN, 0, FOR(4) r.u32[i] = a.u16[i + 4])                        \
	X(I32X4_EXTMUL_HIGH_I16X8_U, BIN, 0,                                                       \
	  FOR(4) r.u32[i] = (uint32_t)a.u16[i + 4] * b.u16[i + 4])                                 \
	X(I64X2_EXTEND_LOW_I32X4_S, UN, 0, FOR(2) r.i64[i] = a.i32[i + 0])                         \
	X(I64X2_EXTMUL_LOW_I32X4_S, BIN, 0,                                                        \
	  FOR(2) r.i64[i] = (int64_t)a.i32[i + 0] * b.i32[i + 0])                                  \
	X(I64X2_EXTEND_LOW_I32X4_U, UN, 0, FOR(2) r.u64[i] = a.u32[i + 0])                         \
	X(I64X2_EXTMUL_LOW_I32X4_U, BIN, 0,                                                        \
	  FOR(2) r.u64[i] = (uint64_t)a.u32[i + 0] * b.u32[i + 0])                                 \
	X(I64X2_EXTEND_HIGH_I32X4_S, UN, 0, FOR(2) r.i64[i] = a.i32[i + 2])                        \
	X(I64X2_EXTMUL_HIGH_I32X4_S, BIN, 0,                                                       \
	  FOR(2) r.i64[i] = (int64_t)a.i32[i + 2] * b.i32[i + 2])                                  \
	X(I64X2_EXTEND_HIGH_I32X4_U, UN, 0, FOR(2) r.u64[i] = a.u32[i + 2])                        \
	X(I64X2_EXTMUL_HIGH_I32X4_U, BIN, 0,                                                       \
	  FOR(2) r.u64[i] = (uint64_t)a.u32[i + 2] * b.u32[i + 2])                                 \
	X(I16X8_EXTADD_PAIRWISE_I8X16_S, UN, 0,                                                    \
	  FOR(8) r.i16[i] = (int16_t)(a.i8[2 * i] + a.i8[2 * i + 1]))                              \
	X(I16X8_EXTADD_PAIRWISE_I8X16_U, UN, 0,                                                    \
	  FOR(8) r.u16[i] = (uint16_t)(a.u8[2 * i] + a.u8[2 * i + 1]))                             \
	X(I32X4_EXTADD_PAIRWISE_I16X8_S, UN, 0,                                                    \
	  FOR(4) r.i32[i] = (int32_t)(a.i16[2 * i] + a.i16[2 * i + 1]))                            \
	X(I32X4_EXTADD_PAIRWISE_I16X8_U, UN, 0,                                                    \
	  FOR(4) r.u32[i] = (uint32_t)(a.u16[2 * i] + a.u16[2 * i + 1]))                           \
	X(I32X4_DOT_I16X8_S, BIN, 0,                                                               \
	  FOR(4) r.u32[i] = (uint32_t)((int64_t)a.i16[2 * i] * b.i16[2 * i] +                      \
				       (int64_t)a.i16[2 * i + 1] * b.i16[2 * i + 1]))              \
	X(F32X4_CEIL, UN, 0, FOR(4) r.f32[i] = vm_f32_ceil(a.f32[i]))                              \
	X(F32X4_FLOOR, UN, 0, FOR(4) r.f32[i] = vm_f32_floor(a.f32[i]))                            \
	X(F32X4_TRUNC, UN, 0, FOR(4) r.f32[i] = vm_f32_trunc(a.f32[i]))                            \
	X(F32X4_NEAREST, UN, 0, FOR(4) r.f32[i] = vm_f32_rint(a.f32[i]))                           \
	X(F32X4_ABS, UN, 0, FOR(4) r.u32[i] = a.u32[i] & ~0x80000000u)                             \
	X(F32X4_NEG, UN, 0, FOR(4) r.u32[i] = a.u32[i] ^ 0x80000000u)                              \
	X(F32X4_SQRT, UN, 0, FOR(4) r.f32[i] = __builtin_sqrtf(a.f32[i]))                          \
	X(F32X4_ADD, BIN, 0,                                                                       \
	  WT_VEC(r.vf32 = a.vf32 + b.vf32, FOR(4) r.f32[i] = a.f32[i] + b.f32[i]);                 \
	  VM_NANS_F32(r, a, b))                                                                    \
	X(F32X4_SUB, BIN, 0,                                                                       \
	  WT_VEC(r.vf32 = a.vf32 - b.vf32, FOR(4) r.f32[i] = a.f32[i] - b.f32[i]))                 \
	X(F32X4_MUL, BIN, 0,                                                                       \
	  WT_VEC(r.vf32 = a.vf32 * b.vf32, FOR(4) r.f32[i] = a.f32[i] * b.f32[i]);                 \
	  VM_NANS_F32(r, a, b))                                                                    \
	X(F32X4_DIV, BIN, 0,                                                                       \
	  WT_VEC(r.vf32 = a.vf32 / b.vf32, FOR(4) r.f32[i] = a.f32[i] / b.f32[i]))                 \
	X(F32X4_MIN, BIN, 0, FOR(4) r.f32[i] = vm_f32_min(a.f32[i], b.f32[i]))                     \
	X(F32X4_MAX, BIN, 0, FOR(4) r.f32[i] = vm_f32_max(a.f32[i], b.f32[i]))                     \
	X(F32X4_PMIN, BIN, 0, FOR(4) r.u32[i] = b.f32[i] < a.f32[i] ? b.u32[i] : a.u32[i])         \
	X(F32X4_PMAX, BIN, 0, FOR(4) r.u32[i] = a.f32[i] < b.f32[i] ? b.u32[i] : a.u32[i])         \
	X(F64X2_CEIL, UN, 0, FOR(2) r.f64[i] = vm_f64_ceil(a.f64[i]))                              \
	X(F64X2_FLOOR, UN, 0, FOR(2) r.f64[i] = vm_f64_floor(a.f64[i]))                            \
	X(F64X2_TRUNC, UN, 0, FOR(2) r.f64[i] = vm_f64_trunc(a.f64[i]))                            \
	X(F64X2_NEAREST, UN, 0, FOR(2) r.f64[i] = vm_f64_rint(a.f64[i]))                           \
	X(F64X2_ABS, UN, 0, FOR(2) r.u64[i] = a.u64[i] & ~0x8000000000000000ull)                   \
	X(F64X2_NEG, UN, 0, FOR(2) r.u64[i] = a.u64[i] ^ 0x8000000000000000ull)                    \
	X(F64X2_SQRT, UN, 0, FOR(2) r.f64[i] = __builtin_sqrt(a.f64[i]))                           \
	X(F64X2_ADD, BIN, 0,                                                                       \
	  WT_VEC(r.vf64 = a.vf64 + b.vf64, FOR(2) r.f64[i] = a.f64[i] + b.f64[i]);                 \
	  VM_NANS_F64(r, a, b))                                                                    \
	X(F64X2_SUB, BIN, 0,                                                                       \
	  WT_VEC(r.vf64 = a.vf64 - b.vf64, FOR(2) r.f64[i] = a.f64[i] - b.f64[i]))                 \
	X(F64X2_MUL, BIN, 0,                                                                       \
	  WT_VEC(r.vf64 = a.vf64 * b.vf64, FOR(2) r.f64[i] = a.f64[i] * b.f64[i]);                 \
	  VM_NANS_F64(r, a, b))                                                                    \
	X(F64X2_DIV, BIN, 0,                                                                       \
	  WT_VEC(r.vf64 = a.vf64 / b.vf64, FOR(2) r.f64[i] = a.f64[i] / b.f64[i]))                 \
	X(F64X2_MIN, BIN, 0, FOR(2) r.f64[i] = vm_f64_min(a.f64[i], b.f64[i]))                     \
	X(F64X2_MAX, BIN, 0, FOR(2) r.f64[i] = vm_f64_max(a.f64[i], b.f64[i]))                     \
	X(F64X2_PMIN, BIN, 0, FOR(2) r.u64[i] = b.f64[i] < a.f64[i] ? b.u64[i] : a.u64[i])         \
	X(F64X2_PMAX, BIN, 0, FOR(2) r.u64[i] = a.f64[i] < b.f64[i] ? b.u64[i] : a.u64[i])         \
	X(I32X4_TRUNC_SAT_F32X4_S, UN, 0, FOR(4) r.u32[i] = vm_sat_i32_f32_s(a.f32[i]))            \
	X(I32X4_TRUNC_SAT_F32X4_U, UN, 0, FOR(4) r.u32[i] = vm_sat_i32_f32_u(a.f32[i]))            \
	X(F32X4_CONVERT_I32X4_S, UN, 0, FOR(4) r.f32[i] = (float)a.i32[i])                         \
	X(F32X4_CONVERT_I32X4_U, UN, 0, FOR(4) r.f32[i] = (float)a.u32[i])                         \
	X(I32X4_TRUNC_SAT_F64X2_S_ZERO, UN, 0, FOR(2) r.u32[i] = vm_sat_i32_f64_s(a.f64[i]);       \
	  r.u32[2] = r.u32[3] = 0)                                                                 \
	X(I32X4_TRUNC_SAT_F64X2_U_ZERO, UN, 0, FOR(2) r.u32[i] = vm_sat_i32_f64_u(a.f64[i]);       \
	  r.u32[2] = r.u32[3] = 0)                                                                 \
	X(F64X2_CONVERT_LOW_I32X4_S, UN, 0, FOR(2) r.f64[i] = (double)a.i32[i])                    \
	X(F64X2_CONVERT_LOW_I32X4_U, UN, 0, FOR(2) r.f64[i] = (double)a.u32[i])

#endif
