/* opcodes.h: every WebAssembly 2.0 opcode, one row each. */
#ifndef WT_OPCODES_H
#define WT_OPCODES_H

#include <stdint.h>

/* X(NAME, code, text, immediate, signature, align)
 *
 * code       the byte after the prefix for 0xFC rows, else the opcode byte.
 * immediate  the kind of immediate that follows (wt_imm below).
 * signature  for plain operators, the stack effect "pops:pushes" in letters
 *            i=i32 I=i64 f=f32 F=f64 (e.g. "ii:i" for i32.add); "" for the
 *            operators the validator types by hand (control, variables,
 *            references, tables, parametric).
 * align      for memory accesses, log2 of the natural alignment (the
 *            largest alignment allowed); otherwise 0.
 *
 * The enum, the name table, the validator's typing and the compiler's
 * lowering are all generated from these lists: adding an opcode is one
 * row. */

#define WT_IMM_LIST(X)                                                      \
	X(NONE)		 /* no immediate */                                 \
	X(BLOCKTYPE)	 /* s33 block type */                               \
	X(LABEL)	 /* u32 label depth */                              \
	X(BR_TABLE)	 /* vec(u32) + u32 default */                       \
	X(FUNC)		 /* u32 function index */                           \
	X(CALL_INDIRECT) /* u32 type index, u32 table index */              \
	X(LOCAL)	 /* u32 local index */                              \
	X(GLOBAL)	 /* u32 global index */                             \
	X(TABLE)	 /* u32 table index */                              \
	X(MEMARG)	 /* u32 align, u32 offset */                        \
	X(MEMORY)	 /* one 0x00 byte (memory index 0) */               \
	X(I32)		 /* s32 */                                          \
	X(I64)		 /* s64 */                                          \
	X(F32)		 /* 4 bytes */                                      \
	X(F64)		 /* 8 bytes */                                      \
	X(SELECT_T)	 /* vec(valtype), length 1 */                       \
	X(REFTYPE)	 /* one reftype byte */                             \
	X(MEMORY_INIT)	 /* u32 data index, 0x00 */                         \
	X(DATA)		 /* u32 data index */                               \
	X(MEMORY_COPY)	 /* 0x00 0x00 */                                    \
	X(TABLE_INIT)	 /* u32 elem index, u32 table index */              \
	X(ELEM)		 /* u32 elem index */                               \
	X(TABLE_COPY)	 /* u32 table index (dst), u32 table index (src) */ \
	X(V128)		 /* 16 bytes (v128.const) */                        \
	X(SHUFFLE)	 /* 16 lane bytes, each < 32 */                     \
	X(LANE)		 /* one lane index byte */                          \
	X(MEMARG_LANE)	 /* memarg, then one lane index byte */

typedef enum {
#define WT_X_IMM(name) WT_IMM_##name,
	WT_IMM_LIST(WT_X_IMM)
#undef WT_X_IMM
} wt_imm;

/* Single-byte opcodes. */
#define WT_OPCODE_LIST(X)                                                   \
	X(UNREACHABLE, 0x00, "unreachable", NONE, "", 0)                    \
	X(NOP, 0x01, "nop", NONE, "", 0)                                    \
	X(BLOCK, 0x02, "block", BLOCKTYPE, "", 0)                           \
	X(LOOP, 0x03, "loop", BLOCKTYPE, "", 0)                             \
	X(IF, 0x04, "if", BLOCKTYPE, "", 0)                                 \
	X(ELSE, 0x05, "else", NONE, "", 0)                                  \
	X(END, 0x0B, "end", NONE, "", 0)                                    \
	X(BR, 0x0C, "br", LABEL, "", 0)                                     \
	X(BR_IF, 0x0D, "br_if", LABEL, "", 0)                               \
	X(BR_TABLE, 0x0E, "br_table", BR_TABLE, "", 0)                      \
	X(RETURN, 0x0F, "return", NONE, "", 0)                              \
	X(CALL, 0x10, "call", FUNC, "", 0)                                  \
	X(CALL_INDIRECT, 0x11, "call_indirect", CALL_INDIRECT, "", 0)       \
	X(DROP, 0x1A, "drop", NONE, "", 0)                                  \
	X(SELECT, 0x1B, "select", NONE, "", 0)                              \
	X(SELECT_T, 0x1C, "select", SELECT_T, "", 0)                        \
	X(LOCAL_GET, 0x20, "local.get", LOCAL, "", 0)                       \
	X(LOCAL_SET, 0x21, "local.set", LOCAL, "", 0)                       \
	X(LOCAL_TEE, 0x22, "local.tee", LOCAL, "", 0)                       \
	X(GLOBAL_GET, 0x23, "global.get", GLOBAL, "", 0)                    \
	X(GLOBAL_SET, 0x24, "global.set", GLOBAL, "", 0)                    \
	X(TABLE_GET, 0x25, "table.get", TABLE, "", 0)                       \
	X(TABLE_SET, 0x26, "table.set", TABLE, "", 0)                       \
	X(I32_LOAD, 0x28, "i32.load", MEMARG, "i:i", 2)                     \
	X(I64_LOAD, 0x29, "i64.load", MEMARG, "i:I", 3)                     \
	X(F32_LOAD, 0x2A, "f32.load", MEMARG, "i:f", 2)                     \
	X(F64_LOAD, 0x2B, "f64.load", MEMARG, "i:F", 3)                     \
	X(I32_LOAD8_S, 0x2C, "i32.load8_s", MEMARG, "i:i", 0)               \
	X(I32_LOAD8_U, 0x2D, "i32.load8_u", MEMARG, "i:i", 0)               \
	X(I32_LOAD16_S, 0x2E, "i32.load16_s", MEMARG, "i:i", 1)             \
	X(I32_LOAD16_U, 0x2F, "i32.load16_u", MEMARG, "i:i", 1)             \
	X(I64_LOAD8_S, 0x30, "i64.load8_s", MEMARG, "i:I", 0)               \
	X(I64_LOAD8_U, 0x31, "i64.load8_u", MEMARG, "i:I", 0)               \
	X(I64_LOAD16_S, 0x32, "i64.load16_s", MEMARG, "i:I", 1)             \
	X(I64_LOAD16_U, 0x33, "i64.load16_u", MEMARG, "i:I", 1)             \
	X(I64_LOAD32_S, 0x34, "i64.load32_s", MEMARG, "i:I", 2)             \
	X(I64_LOAD32_U, 0x35, "i64.load32_u", MEMARG, "i:I", 2)             \
	X(I32_STORE, 0x36, "i32.store", MEMARG, "ii:", 2)                   \
	X(I64_STORE, 0x37, "i64.store", MEMARG, "iI:", 3)                   \
	X(F32_STORE, 0x38, "f32.store", MEMARG, "if:", 2)                   \
	X(F64_STORE, 0x39, "f64.store", MEMARG, "iF:", 3)                   \
	X(I32_STORE8, 0x3A, "i32.store8", MEMARG, "ii:", 0)                 \
	X(I32_STORE16, 0x3B, "i32.store16", MEMARG, "ii:", 1)               \
	X(I64_STORE8, 0x3C, "i64.store8", MEMARG, "iI:", 0)                 \
	X(I64_STORE16, 0x3D, "i64.store16", MEMARG, "iI:", 1)               \
	X(I64_STORE32, 0x3E, "i64.store32", MEMARG, "iI:", 2)               \
	X(MEMORY_SIZE, 0x3F, "memory.size", MEMORY, ":i", 0)                \
	X(MEMORY_GROW, 0x40, "memory.grow", MEMORY, "i:i", 0)               \
	X(I32_CONST, 0x41, "i32.const", I32, ":i", 0)                       \
	X(I64_CONST, 0x42, "i64.const", I64, ":I", 0)                       \
	X(F32_CONST, 0x43, "f32.const", F32, ":f", 0)                       \
	X(F64_CONST, 0x44, "f64.const", F64, ":F", 0)                       \
	X(I32_EQZ, 0x45, "i32.eqz", NONE, "i:i", 0)                         \
	X(I32_EQ, 0x46, "i32.eq", NONE, "ii:i", 0)                          \
	X(I32_NE, 0x47, "i32.ne", NONE, "ii:i", 0)                          \
	X(I32_LT_S, 0x48, "i32.lt_s", NONE, "ii:i", 0)                      \
	X(I32_LT_U, 0x49, "i32.lt_u", NONE, "ii:i", 0)                      \
	X(I32_GT_S, 0x4A, "i32.gt_s", NONE, "ii:i", 0)                      \
	X(I32_GT_U, 0x4B, "i32.gt_u", NONE, "ii:i", 0)                      \
	X(I32_LE_S, 0x4C, "i32.le_s", NONE, "ii:i", 0)                      \
	X(I32_LE_U, 0x4D, "i32.le_u", NONE, "ii:i", 0)                      \
	X(I32_GE_S, 0x4E, "i32.ge_s", NONE, "ii:i", 0)                      \
	X(I32_GE_U, 0x4F, "i32.ge_u", NONE, "ii:i", 0)                      \
	X(I64_EQZ, 0x50, "i64.eqz", NONE, "I:i", 0)                         \
	X(I64_EQ, 0x51, "i64.eq", NONE, "II:i", 0)                          \
	X(I64_NE, 0x52, "i64.ne", NONE, "II:i", 0)                          \
	X(I64_LT_S, 0x53, "i64.lt_s", NONE, "II:i", 0)                      \
	X(I64_LT_U, 0x54, "i64.lt_u", NONE, "II:i", 0)                      \
	X(I64_GT_S, 0x55, "i64.gt_s", NONE, "II:i", 0)                      \
	X(I64_GT_U, 0x56, "i64.gt_u", NONE, "II:i", 0)                      \
	X(I64_LE_S, 0x57, "i64.le_s", NONE, "II:i", 0)                      \
	X(I64_LE_U, 0x58, "i64.le_u", NONE, "II:i", 0)                      \
	X(I64_GE_S, 0x59, "i64.ge_s", NONE, "II:i", 0)                      \
	X(I64_GE_U, 0x5A, "i64.ge_u", NONE, "II:i", 0)                      \
	X(F32_EQ, 0x5B, "f32.eq", NONE, "ff:i", 0)                          \
	X(F32_NE, 0x5C, "f32.ne", NONE, "ff:i", 0)                          \
	X(F32_LT, 0x5D, "f32.lt", NONE, "ff:i", 0)                          \
	X(F32_GT, 0x5E, "f32.gt", NONE, "ff:i", 0)                          \
	X(F32_LE, 0x5F, "f32.le", NONE, "ff:i", 0)                          \
	X(F32_GE, 0x60, "f32.ge", NONE, "ff:i", 0)                          \
	X(F64_EQ, 0x61, "f64.eq", NONE, "FF:i", 0)                          \
	X(F64_NE, 0x62, "f64.ne", NONE, "FF:i", 0)                          \
	X(F64_LT, 0x63, "f64.lt", NONE, "FF:i", 0)                          \
	X(F64_GT, 0x64, "f64.gt", NONE, "FF:i", 0)                          \
	X(F64_LE, 0x65, "f64.le", NONE, "FF:i", 0)                          \
	X(F64_GE, 0x66, "f64.ge", NONE, "FF:i", 0)                          \
	X(I32_CLZ, 0x67, "i32.clz", NONE, "i:i", 0)                         \
	X(I32_CTZ, 0x68, "i32.ctz", NONE, "i:i", 0)                         \
	X(I32_POPCNT, 0x69, "i32.popcnt", NONE, "i:i", 0)                   \
	X(I32_ADD, 0x6A, "i32.add", NONE, "ii:i", 0)                        \
	X(I32_SUB, 0x6B, "i32.sub", NONE, "ii:i", 0)                        \
	X(I32_MUL, 0x6C, "i32.mul", NONE, "ii:i", 0)                        \
	X(I32_DIV_S, 0x6D, "i32.div_s", NONE, "ii:i", 0)                    \
	X(I32_DIV_U, 0x6E, "i32.div_u", NONE, "ii:i", 0)                    \
	X(I32_REM_S, 0x6F, "i32.rem_s", NONE, "ii:i", 0)                    \
	X(I32_REM_U, 0x70, "i32.rem_u", NONE, "ii:i", 0)                    \
	X(I32_AND, 0x71, "i32.and", NONE, "ii:i", 0)                        \
	X(I32_OR, 0x72, "i32.or", NONE, "ii:i", 0)                          \
	X(I32_XOR, 0x73, "i32.xor", NONE, "ii:i", 0)                        \
	X(I32_SHL, 0x74, "i32.shl", NONE, "ii:i", 0)                        \
	X(I32_SHR_S, 0x75, "i32.shr_s", NONE, "ii:i", 0)                    \
	X(I32_SHR_U, 0x76, "i32.shr_u", NONE, "ii:i", 0)                    \
	X(I32_ROTL, 0x77, "i32.rotl", NONE, "ii:i", 0)                      \
	X(I32_ROTR, 0x78, "i32.rotr", NONE, "ii:i", 0)                      \
	X(I64_CLZ, 0x79, "i64.clz", NONE, "I:I", 0)                         \
	X(I64_CTZ, 0x7A, "i64.ctz", NONE, "I:I", 0)                         \
	X(I64_POPCNT, 0x7B, "i64.popcnt", NONE, "I:I", 0)                   \
	X(I64_ADD, 0x7C, "i64.add", NONE, "II:I", 0)                        \
	X(I64_SUB, 0x7D, "i64.sub", NONE, "II:I", 0)                        \
	X(I64_MUL, 0x7E, "i64.mul", NONE, "II:I", 0)                        \
	X(I64_DIV_S, 0x7F, "i64.div_s", NONE, "II:I", 0)                    \
	X(I64_DIV_U, 0x80, "i64.div_u", NONE, "II:I", 0)                    \
	X(I64_REM_S, 0x81, "i64.rem_s", NONE, "II:I", 0)                    \
	X(I64_REM_U, 0x82, "i64.rem_u", NONE, "II:I", 0)                    \
	X(I64_AND, 0x83, "i64.and", NONE, "II:I", 0)                        \
	X(I64_OR, 0x84, "i64.or", NONE, "II:I", 0)                          \
	X(I64_XOR, 0x85, "i64.xor", NONE, "II:I", 0)                        \
	X(I64_SHL, 0x86, "i64.shl", NONE, "II:I", 0)                        \
	X(I64_SHR_S, 0x87, "i64.shr_s", NONE, "II:I", 0)                    \
	X(I64_SHR_U, 0x88, "i64.shr_u", NONE, "II:I", 0)                    \
	X(I64_ROTL, 0x89, "i64.rotl", NONE, "II:I", 0)                      \
	X(I64_ROTR, 0x8A, "i64.rotr", NONE, "II:I", 0)                      \
	X(F32_ABS, 0x8B, "f32.abs", NONE, "f:f", 0)                         \
	X(F32_NEG, 0x8C, "f32.neg", NONE, "f:f", 0)                         \
	X(F32_CEIL, 0x8D, "f32.ceil", NONE, "f:f", 0)                       \
	X(F32_FLOOR, 0x8E, "f32.floor", NONE, "f:f", 0)                     \
	X(F32_TRUNC, 0x8F, "f32.trunc", NONE, "f:f", 0)                     \
	X(F32_NEAREST, 0x90, "f32.nearest", NONE, "f:f", 0)                 \
	X(F32_SQRT, 0x91, "f32.sqrt", NONE, "f:f", 0)                       \
	X(F32_ADD, 0x92, "f32.add", NONE, "ff:f", 0)                        \
	X(F32_SUB, 0x93, "f32.sub", NONE, "ff:f", 0)                        \
	X(F32_MUL, 0x94, "f32.mul", NONE, "ff:f", 0)                        \
	X(F32_DIV, 0x95, "f32.div", NONE, "ff:f", 0)                        \
	X(F32_MIN, 0x96, "f32.min", NONE, "ff:f", 0)                        \
	X(F32_MAX, 0x97, "f32.max", NONE, "ff:f", 0)                        \
	X(F32_COPYSIGN, 0x98, "f32.copysign", NONE, "ff:f", 0)              \
	X(F64_ABS, 0x99, "f64.abs", NONE, "F:F", 0)                         \
	X(F64_NEG, 0x9A, "f64.neg", NONE, "F:F", 0)                         \
	X(F64_CEIL, 0x9B, "f64.ceil", NONE, "F:F", 0)                       \
	X(F64_FLOOR, 0x9C, "f64.floor", NONE, "F:F", 0)                     \
	X(F64_TRUNC, 0x9D, "f64.trunc", NONE, "F:F", 0)                     \
	X(F64_NEAREST, 0x9E, "f64.nearest", NONE, "F:F", 0)                 \
	X(F64_SQRT, 0x9F, "f64.sqrt", NONE, "F:F", 0)                       \
	X(F64_ADD, 0xA0, "f64.add", NONE, "FF:F", 0)                        \
	X(F64_SUB, 0xA1, "f64.sub", NONE, "FF:F", 0)                        \
	X(F64_MUL, 0xA2, "f64.mul", NONE, "FF:F", 0)                        \
	X(F64_DIV, 0xA3, "f64.div", NONE, "FF:F", 0)                        \
	X(F64_MIN, 0xA4, "f64.min", NONE, "FF:F", 0)                        \
	X(F64_MAX, 0xA5, "f64.max", NONE, "FF:F", 0)                        \
	X(F64_COPYSIGN, 0xA6, "f64.copysign", NONE, "FF:F", 0)              \
	X(I32_WRAP_I64, 0xA7, "i32.wrap_i64", NONE, "I:i", 0)               \
	X(I32_TRUNC_F32_S, 0xA8, "i32.trunc_f32_s", NONE, "f:i", 0)         \
	X(I32_TRUNC_F32_U, 0xA9, "i32.trunc_f32_u", NONE, "f:i", 0)         \
	X(I32_TRUNC_F64_S, 0xAA, "i32.trunc_f64_s", NONE, "F:i", 0)         \
	X(I32_TRUNC_F64_U, 0xAB, "i32.trunc_f64_u", NONE, "F:i", 0)         \
	X(I64_EXTEND_I32_S, 0xAC, "i64.extend_i32_s", NONE, "i:I", 0)       \
	X(I64_EXTEND_I32_U, 0xAD, "i64.extend_i32_u", NONE, "i:I", 0)       \
	X(I64_TRUNC_F32_S, 0xAE, "i64.trunc_f32_s", NONE, "f:I", 0)         \
	X(I64_TRUNC_F32_U, 0xAF, "i64.trunc_f32_u", NONE, "f:I", 0)         \
	X(I64_TRUNC_F64_S, 0xB0, "i64.trunc_f64_s", NONE, "F:I", 0)         \
	X(I64_TRUNC_F64_U, 0xB1, "i64.trunc_f64_u", NONE, "F:I", 0)         \
	X(F32_CONVERT_I32_S, 0xB2, "f32.convert_i32_s", NONE, "i:f", 0)     \
	X(F32_CONVERT_I32_U, 0xB3, "f32.convert_i32_u", NONE, "i:f", 0)     \
	X(F32_CONVERT_I64_S, 0xB4, "f32.convert_i64_s", NONE, "I:f", 0)     \
	X(F32_CONVERT_I64_U, 0xB5, "f32.convert_i64_u", NONE, "I:f", 0)     \
	X(F32_DEMOTE_F64, 0xB6, "f32.demote_f64", NONE, "F:f", 0)           \
	X(F64_CONVERT_I32_S, 0xB7, "f64.convert_i32_s", NONE, "i:F", 0)     \
	X(F64_CONVERT_I32_U, 0xB8, "f64.convert_i32_u", NONE, "i:F", 0)     \
	X(F64_CONVERT_I64_S, 0xB9, "f64.convert_i64_s", NONE, "I:F", 0)     \
	X(F64_CONVERT_I64_U, 0xBA, "f64.convert_i64_u", NONE, "I:F", 0)     \
	X(F64_PROMOTE_F32, 0xBB, "f64.promote_f32", NONE, "f:F", 0)         \
	X(I32_REINTERPRET_F32, 0xBC, "i32.reinterpret_f32", NONE, "f:i", 0) \
	X(I64_REINTERPRET_F64, 0xBD, "i64.reinterpret_f64", NONE, "F:I", 0) \
	X(F32_REINTERPRET_I32, 0xBE, "f32.reinterpret_i32", NONE, "i:f", 0) \
	X(F64_REINTERPRET_I64, 0xBF, "f64.reinterpret_i64", NONE, "I:F", 0) \
	X(I32_EXTEND8_S, 0xC0, "i32.extend8_s", NONE, "i:i", 0)             \
	X(I32_EXTEND16_S, 0xC1, "i32.extend16_s", NONE, "i:i", 0)           \
	X(I64_EXTEND8_S, 0xC2, "i64.extend8_s", NONE, "I:I", 0)             \
	X(I64_EXTEND16_S, 0xC3, "i64.extend16_s", NONE, "I:I", 0)           \
	X(I64_EXTEND32_S, 0xC4, "i64.extend32_s", NONE, "I:I", 0)           \
	X(REF_NULL, 0xD0, "ref.null", REFTYPE, "", 0)                       \
	X(REF_IS_NULL, 0xD1, "ref.is_null", NONE, "", 0)                    \
	X(REF_FUNC, 0xD2, "ref.func", FUNC, "", 0)

/* Opcodes after the 0xFC prefix (u32 LEB sub-opcode). */
#define WT_OPCODE_FC_LIST(X)                                             \
	X(I32_TRUNC_SAT_F32_S, 0, "i32.trunc_sat_f32_s", NONE, "f:i", 0) \
	X(I32_TRUNC_SAT_F32_U, 1, "i32.trunc_sat_f32_u", NONE, "f:i", 0) \
	X(I32_TRUNC_SAT_F64_S, 2, "i32.trunc_sat_f64_s", NONE, "F:i", 0) \
	X(I32_TRUNC_SAT_F64_U, 3, "i32.trunc_sat_f64_u", NONE, "F:i", 0) \
	X(I64_TRUNC_SAT_F32_S, 4, "i64.trunc_sat_f32_s", NONE, "f:I", 0) \
	X(I64_TRUNC_SAT_F32_U, 5, "i64.trunc_sat_f32_u", NONE, "f:I", 0) \
	X(I64_TRUNC_SAT_F64_S, 6, "i64.trunc_sat_f64_s", NONE, "F:I", 0) \
	X(I64_TRUNC_SAT_F64_U, 7, "i64.trunc_sat_f64_u", NONE, "F:I", 0) \
	X(MEMORY_INIT, 8, "memory.init", MEMORY_INIT, "iii:", 0)         \
	X(DATA_DROP, 9, "data.drop", DATA, ":", 0)                       \
	X(MEMORY_COPY, 10, "memory.copy", MEMORY_COPY, "iii:", 0)        \
	X(MEMORY_FILL, 11, "memory.fill", MEMORY, "iii:", 0)             \
	X(TABLE_INIT, 12, "table.init", TABLE_INIT, "iii:", 0)           \
	X(ELEM_DROP, 13, "elem.drop", ELEM, ":", 0)                      \
	X(TABLE_COPY, 14, "table.copy", TABLE_COPY, "iii:", 0)           \
	X(TABLE_GROW, 15, "table.grow", TABLE, "", 0)                    \
	X(TABLE_SIZE, 16, "table.size", TABLE, ":i", 0)                  \
	X(TABLE_FILL, 17, "table.fill", TABLE, "", 0)

/* Opcodes after the 0xFD prefix (u32 LEB sub-opcode): the vector (v128) instructions.
 * align: for loads and stores as above; for LANE immediates, log2 of the lane's bytes
 * (the lane index must be below 16 >> align). */
#define WT_OPCODE_FD_LIST(X)                                                                    \
	X(V128_LOAD, 0x00, "v128.load", MEMARG, "i:V", 4)                                       \
	X(V128_LOAD8X8_S, 0x01, "v128.load8x8_s", MEMARG, "i:V", 3)                             \
	X(V128_LOAD8X8_U, 0x02, "v128.load8x8_u", MEMARG, "i:V", 3)                             \
	X(V128_LOAD16X4_S, 0x03, "v128.load16x4_s", MEMARG, "i:V", 3)                           \
	X(V128_LOAD16X4_U, 0x04, "v128.load16x4_u", MEMARG, "i:V", 3)                           \
	X(V128_LOAD32X2_S, 0x05, "v128.load32x2_s", MEMARG, "i:V", 3)                           \
	X(V128_LOAD32X2_U, 0x06, "v128.load32x2_u", MEMARG, "i:V", 3)                           \
	X(V128_LOAD8_SPLAT, 0x07, "v128.load8_splat", MEMARG, "i:V", 0)                         \
	X(V128_LOAD16_SPLAT, 0x08, "v128.load16_splat", MEMARG, "i:V", 1)                       \
	X(V128_LOAD32_SPLAT, 0x09, "v128.load32_splat", MEMARG, "i:V", 2)                       \
	X(V128_LOAD64_SPLAT, 0x0A, "v128.load64_splat", MEMARG, "i:V", 3)                       \
	X(V128_STORE, 0x0B, "v128.store", MEMARG, "iV:", 4)                                     \
	X(V128_CONST, 0x0C, "v128.const", V128, ":V", 0)                                        \
	X(I8X16_SHUFFLE, 0x0D, "i8x16.shuffle", SHUFFLE, "VV:V", 0)                             \
	X(I8X16_SWIZZLE, 0x0E, "i8x16.swizzle", NONE, "VV:V", 0)                                \
	X(I8X16_SPLAT, 0x0F, "i8x16.splat", NONE, "i:V", 0)                                     \
	X(I16X8_SPLAT, 0x10, "i16x8.splat", NONE, "i:V", 0)                                     \
	X(I32X4_SPLAT, 0x11, "i32x4.splat", NONE, "i:V", 0)                                     \
	X(I64X2_SPLAT, 0x12, "i64x2.splat", NONE, "I:V", 0)                                     \
	X(F32X4_SPLAT, 0x13, "f32x4.splat", NONE, "f:V", 0)                                     \
	X(F64X2_SPLAT, 0x14, "f64x2.splat", NONE, "F:V", 0)                                     \
	X(I8X16_EXTRACT_LANE_S, 0x15, "i8x16.extract_lane_s", LANE, "V:i", 0)                   \
	X(I8X16_EXTRACT_LANE_U, 0x16, "i8x16.extract_lane_u", LANE, "V:i", 0)                   \
	X(I8X16_REPLACE_LANE, 0x17, "i8x16.replace_lane", LANE, "Vi:V", 0)                      \
	X(I16X8_EXTRACT_LANE_S, 0x18, "i16x8.extract_lane_s", LANE, "V:i", 1)                   \
	X(I16X8_EXTRACT_LANE_U, 0x19, "i16x8.extract_lane_u", LANE, "V:i", 1)                   \
	X(I16X8_REPLACE_LANE, 0x1A, "i16x8.replace_lane", LANE, "Vi:V", 1)                      \
	X(I32X4_EXTRACT_LANE, 0x1B, "i32x4.extract_lane", LANE, "V:i", 2)                       \
	X(I32X4_REPLACE_LANE, 0x1C, "i32x4.replace_lane", LANE, "Vi:V", 2)                      \
	X(I64X2_EXTRACT_LANE, 0x1D, "i64x2.extract_lane", LANE, "V:I", 3)                       \
	X(I64X2_REPLACE_LANE, 0x1E, "i64x2.replace_lane", LANE, "VI:V", 3)                      \
	X(F32X4_EXTRACT_LANE, 0x1F, "f32x4.extract_lane", LANE, "V:f", 2)                       \
	X(F32X4_REPLACE_LANE, 0x20, "f32x4.replace_lane", LANE, "Vf:V", 2)                      \
	X(F64X2_EXTRACT_LANE, 0x21, "f64x2.extract_lane", LANE, "V:F", 3)                       \
	X(F64X2_REPLACE_LANE, 0x22, "f64x2.replace_lane", LANE, "VF:V", 3)                      \
	X(I8X16_EQ, 0x23, "i8x16.eq", NONE, "VV:V", 0)                                          \
	X(I8X16_NE, 0x24, "i8x16.ne", NONE, "VV:V", 0)                                          \
	X(I8X16_LT_S, 0x25, "i8x16.lt_s", NONE, "VV:V", 0)                                      \
	X(I8X16_LT_U, 0x26, "i8x16.lt_u", NONE, "VV:V", 0)                                      \
	X(I8X16_GT_S, 0x27, "i8x16.gt_s", NONE, "VV:V", 0)                                      \
	X(I8X16_GT_U, 0x28, "i8x16.gt_u", NONE, "VV:V", 0)                                      \
	X(I8X16_LE_S, 0x29, "i8x16.le_s", NONE, "VV:V", 0)                                      \
	X(I8X16_LE_U, 0x2A, "i8x16.le_u", NONE, "VV:V", 0)                                      \
	X(I8X16_GE_S, 0x2B, "i8x16.ge_s", NONE, "VV:V", 0)                                      \
	X(I8X16_GE_U, 0x2C, "i8x16.ge_u", NONE, "VV:V", 0)                                      \
	X(I16X8_EQ, 0x2D, "i16x8.eq", NONE, "VV:V", 0)                                          \
	X(I16X8_NE, 0x2E, "i16x8.ne", NONE, "VV:V", 0)                                          \
	X(I16X8_LT_S, 0x2F, "i16x8.lt_s", NONE, "VV:V", 0)                                      \
	X(I16X8_LT_U, 0x30, "i16x8.lt_u", NONE, "VV:V", 0)                                      \
	X(I16X8_GT_S, 0x31, "i16x8.gt_s", NONE, "VV:V", 0)                                      \
	X(I16X8_GT_U, 0x32, "i16x8.gt_u", NONE, "VV:V", 0)                                      \
	X(I16X8_LE_S, 0x33, "i16x8.le_s", NONE, "VV:V", 0)                                      \
	X(I16X8_LE_U, 0x34, "i16x8.le_u", NONE, "VV:V", 0)                                      \
	X(I16X8_GE_S, 0x35, "i16x8.ge_s", NONE, "VV:V", 0)                                      \
	X(I16X8_GE_U, 0x36, "i16x8.ge_u", NONE, "VV:V", 0)                                      \
	X(I32X4_EQ, 0x37, "i32x4.eq", NONE, "VV:V", 0)                                          \
	X(I32X4_NE, 0x38, "i32x4.ne", NONE, "VV:V", 0)                                          \
	X(I32X4_LT_S, 0x39, "i32x4.lt_s", NONE, "VV:V", 0)                                      \
	X(I32X4_LT_U, 0x3A, "i32x4.lt_u", NONE, "VV:V", 0)                                      \
	X(I32X4_GT_S, 0x3B, "i32x4.gt_s", NONE, "VV:V", 0)                                      \
	X(I32X4_GT_U, 0x3C, "i32x4.gt_u", NONE, "VV:V", 0)                                      \
	X(I32X4_LE_S, 0x3D, "i32x4.le_s", NONE, "VV:V", 0)                                      \
	X(I32X4_LE_U, 0x3E, "i32x4.le_u", NONE, "VV:V", 0)                                      \
	X(I32X4_GE_S, 0x3F, "i32x4.ge_s", NONE, "VV:V", 0)                                      \
	X(I32X4_GE_U, 0x40, "i32x4.ge_u", NONE, "VV:V", 0)                                      \
	X(F32X4_EQ, 0x41, "f32x4.eq", NONE, "VV:V", 0)                                          \
	X(F32X4_NE, 0x42, "f32x4.ne", NONE, "VV:V", 0)                                          \
	X(F32X4_LT, 0x43, "f32x4.lt", NONE, "VV:V", 0)                                          \
	X(F32X4_GT, 0x44, "f32x4.gt", NONE, "VV:V", 0)                                          \
	X(F32X4_LE, 0x45, "f32x4.le", NONE, "VV:V", 0)                                          \
	X(F32X4_GE, 0x46, "f32x4.ge", NONE, "VV:V", 0)                                          \
	X(F64X2_EQ, 0x47, "f64x2.eq", NONE, "VV:V", 0)                                          \
	X(F64X2_NE, 0x48, "f64x2.ne", NONE, "VV:V", 0)                                          \
	X(F64X2_LT, 0x49, "f64x2.lt", NONE, "VV:V", 0)                                          \
	X(F64X2_GT, 0x4A, "f64x2.gt", NONE, "VV:V", 0)                                          \
	X(F64X2_LE, 0x4B, "f64x2.le", NONE, "VV:V", 0)                                          \
	X(F64X2_GE, 0x4C, "f64x2.ge", NONE, "VV:V", 0)                                          \
	X(V128_NOT, 0x4D, "v128.not", NONE, "V:V", 0)                                           \
	X(V128_AND, 0x4E, "v128.and", NONE, "VV:V", 0)                                          \
	X(V128_ANDNOT, 0x4F, "v128.andnot", NONE, "VV:V", 0)                                    \
	X(V128_OR, 0x50, "v128.or", NONE, "VV:V", 0)                                            \
	X(V128_XOR, 0x51, "v128.xor", NONE, "VV:V", 0)                                          \
	X(V128_BITSELECT, 0x52, "v128.bitselect", NONE, "VVV:V", 0)                             \
	X(V128_ANY_TRUE, 0x53, "v128.any_true", NONE, "V:i", 0)                                 \
	X(V128_LOAD8_LANE, 0x54, "v128.load8_lane", MEMARG_LANE, "iV:V", 0)                     \
	X(V128_LOAD16_LANE, 0x55, "v128.load16_lane", MEMARG_LANE, "iV:V", 1)                   \
	X(V128_LOAD32_LANE, 0x56, "v128.load32_lane", MEMARG_LANE, "iV:V", 2)                   \
	X(V128_LOAD64_LANE, 0x57, "v128.load64_lane", MEMARG_LANE, "iV:V", 3)                   \
	X(V128_STORE8_LANE, 0x58, "v128.store8_lane", MEMARG_LANE, "iV:", 0)                    \
	X(V128_STORE16_LANE, 0x59, "v128.store16_lane", MEMARG_LANE, "iV:", 1)                  \
	X(V128_STORE32_LANE, 0x5A, "v128.store32_lane", MEMARG_LANE, "iV:", 2)                  \
	X(V128_STORE64_LANE, 0x5B, "v128.store64_lane", MEMARG_LANE, "iV:", 3)                  \
	X(V128_LOAD32_ZERO, 0x5C, "v128.load32_zero", MEMARG, "i:V", 2)                         \
	X(V128_LOAD64_ZERO, 0x5D, "v128.load64_zero", MEMARG, "i:V", 3)                         \
	X(F32X4_DEMOTE_F64X2_ZERO, 0x5E, "f32x4.demote_f64x2_zero", NONE, "V:V", 0)             \
	X(F64X2_PROMOTE_LOW_F32X4, 0x5F, "f64x2.promote_low_f32x4", NONE, "V:V", 0)             \
	X(I8X16_ABS, 0x60, "i8x16.abs", NONE, "V:V", 0)                                         \
	X(I8X16_NEG, 0x61, "i8x16.neg", NONE, "V:V", 0)                                         \
	X(I8X16_POPCNT, 0x62, "i8x16.popcnt", NONE, "V:V", 0)                                   \
	X(I8X16_ALL_TRUE, 0x63, "i8x16.all_true", NONE, "V:i", 0)                               \
	X(I8X16_BITMASK, 0x64, "i8x16.bitmask", NONE, "V:i", 0)                                 \
	X(I8X16_NARROW_I16X8_S, 0x65, "i8x16.narrow_i16x8_s", NONE, "VV:V", 0)                  \
	X(I8X16_NARROW_I16X8_U, 0x66, "i8x16.narrow_i16x8_u", NONE, "VV:V", 0)                  \
	X(I8X16_SHL, 0x6B, "i8x16.shl", NONE, "Vi:V", 0)                                        \
	X(I8X16_SHR_S, 0x6C, "i8x16.shr_s", NONE, "Vi:V", 0)                                    \
	X(I8X16_SHR_U, 0x6D, "i8x16.shr_u", NONE, "Vi:V", 0)                                    \
	X(I8X16_ADD, 0x6E, "i8x16.add", NONE, "VV:V", 0)                                        \
	X(I8X16_ADD_SAT_S, 0x6F, "i8x16.add_sat_s", NONE, "VV:V", 0)                            \
	X(I8X16_ADD_SAT_U, 0x70, "i8x16.add_sat_u", NONE, "VV:V", 0)                            \
	X(I8X16_SUB, 0x71, "i8x16.sub", NONE, "VV:V", 0)                                        \
	X(I8X16_SUB_SAT_S, 0x72, "i8x16.sub_sat_s", NONE, "VV:V", 0)                            \
	X(I8X16_SUB_SAT_U, 0x73, "i8x16.sub_sat_u", NONE, "VV:V", 0)                            \
	X(I8X16_MIN_S, 0x76, "i8x16.min_s", NONE, "VV:V", 0)                                    \
	X(I8X16_MIN_U, 0x77, "i8x16.min_u", NONE, "VV:V", 0)                                    \
	X(I8X16_MAX_S, 0x78, "i8x16.max_s", NONE, "VV:V", 0)                                    \
	X(I8X16_MAX_U, 0x79, "i8x16.max_u", NONE, "VV:V", 0)                                    \
	X(I8X16_AVGR_U, 0x7B, "i8x16.avgr_u", NONE, "VV:V", 0)                                  \
	X(I16X8_EXTADD_PAIRWISE_I8X16_S, 0x7C, "i16x8.extadd_pairwise_i8x16_s", NONE, "V:V", 0) \
	X(I16X8_EXTADD_PAIRWISE_I8X16_U, 0x7D, "i16x8.extadd_pairwise_i8x16_u", NONE, "V:V", 0) \
	X(I32X4_EXTADD_PAIRWISE_I16X8_S, 0x7E, "i32x4.extadd_pairwise_i16x8_s", NONE, "V:V", 0) \
	X(I32X4_EXTADD_PAIRWISE_I16X8_U, 0x7F, "i32x4.extadd_pairwise_i16x8_u", NONE, "V:V", 0) \
	X(I16X8_ABS, 0x80, "i16x8.abs", NONE, "V:V", 0)                                         \
	X(I16X8_NEG, 0x81, "i16x8.neg", NONE, "V:V", 0)                                         \
	X(I16X8_Q15MULR_SAT_S, 0x82, "i16x8.q15mulr_sat_s", NONE, "VV:V", 0)                    \
	X(I16X8_ALL_TRUE, 0x83, "i16x8.all_true", NONE, "V:i", 0)                               \
	X(I16X8_BITMASK, 0x84, "i16x8.bitmask", NONE, "V:i", 0)                                 \
	X(I16X8_NARROW_I32X4_S, 0x85, "i16x8.narrow_i32x4_s", NONE, "VV:V", 0)                  \
	X(I16X8_NARROW_I32X4_U, 0x86, "i16x8.narrow_i32x4_u", NONE, "VV:V", 0)                  \
	X(I16X8_EXTEND_LOW_I8X16_S, 0x87, "i16x8.extend_low_i8x16_s", NONE, "V:V", 0)           \
	X(I16X8_EXTEND_HIGH_I8X16_S, 0x88, "i16x8.extend_high_i8x16_s", NONE, "V:V", 0)         \
	X(I16X8_EXTEND_LOW_I8X16_U, 0x89, "i16x8.extend_low_i8x16_u", NONE, "V:V", 0)           \
	X(I16X8_EXTEND_HIGH_I8X16_U, 0x8A, "i16x8.extend_high_i8x16_u", NONE, "V:V", 0)         \
	X(I16X8_SHL, 0x8B, "i16x8.shl", NONE, "Vi:V", 0)                                        \
	X(I16X8_SHR_S, 0x8C, "i16x8.shr_s", NONE, "Vi:V", 0)                                    \
	X(I16X8_SHR_U, 0x8D, "i16x8.shr_u", NONE, "Vi:V", 0)                                    \
	X(I16X8_ADD, 0x8E, "i16x8.add", NONE, "VV:V", 0)                                        \
	X(I16X8_ADD_SAT_S, 0x8F, "i16x8.add_sat_s", NONE, "VV:V", 0)                            \
	X(I16X8_ADD_SAT_U, 0x90, "i16x8.add_sat_u", NONE, "VV:V", 0)                            \
	X(I16X8_SUB, 0x91, "i16x8.sub", NONE, "VV:V", 0)                                        \
	X(I16X8_SUB_SAT_S, 0x92, "i16x8.sub_sat_s", NONE, "VV:V", 0)                            \
	X(I16X8_SUB_SAT_U, 0x93, "i16x8.sub_sat_u", NONE, "VV:V", 0)                            \
	X(I16X8_MUL, 0x95, "i16x8.mul", NONE, "VV:V", 0)                                        \
	X(I16X8_MIN_S, 0x96, "i16x8.min_s", NONE, "VV:V", 0)                                    \
	X(I16X8_MIN_U, 0x97, "i16x8.min_u", NONE, "VV:V", 0)                                    \
	X(I16X8_MAX_S, 0x98, "i16x8.max_s", NONE, "VV:V", 0)                                    \
	X(I16X8_MAX_U, 0x99, "i16x8.max_u", NONE, "VV:V", 0)                                    \
	X(I16X8_AVGR_U, 0x9B, "i16x8.avgr_u", NONE, "VV:V", 0)                                  \
	X(I16X8_EXTMUL_LOW_I8X16_S, 0x9C, "i16x8.extmul_low_i8x16_s", NONE, "VV:V", 0)          \
	X(I16X8_EXTMUL_HIGH_I8X16_S, 0x9D, "i16x8.extmul_high_i8x16_s", NONE, "VV:V", 0)        \
	X(I16X8_EXTMUL_LOW_I8X16_U, 0x9E, "i16x8.extmul_low_i8x16_u", NONE, "VV:V", 0)          \
	X(I16X8_EXTMUL_HIGH_I8X16_U, 0x9F, "i16x8.extmul_high_i8x16_u", NONE, "VV:V", 0)        \
	X(I32X4_ABS, 0xA0, "i32x4.abs", NONE, "V:V", 0)                                         \
	X(I32X4_NEG, 0xA1, "i32x4.neg", NONE, "V:V", 0)                                         \
	X(I32X4_ALL_TRUE, 0xA3, "i32x4.all_true", NONE, "V:i", 0)                               \
	X(I32X4_BITMASK, 0xA4, "i32x4.bitmask", NONE, "V:i", 0)                                 \
	X(I32X4_EXTEND_LOW_I16X8_S, 0xA7, "i32x4.extend_low_i16x8_s", NONE, "V:V", 0)           \
	X(I32X4_EXTEND_HIGH_I16X8_S, 0xA8, "i32x4.extend_high_i16x8_s", NONE, "V:V", 0)         \
	X(I32X4_EXTEND_LOW_I16X8_U, 0xA9, "i32x4.extend_low_i16x8_u", NONE, "V:V", 0)           \
	X(I32X4_EXTEND_HIGH_I16X8_U, 0xAA, "i32x4.extend_high_i16x8_u", NONE, "V:V", 0)         \
	X(I32X4_SHL, 0xAB, "i32x4.shl", NONE, "Vi:V", 0)                                        \
	X(I32X4_SHR_S, 0xAC, "i32x4.shr_s", NONE, "Vi:V", 0)                                    \
	X(I32X4_SHR_U, 0xAD, "i32x4.shr_u", NONE, "Vi:V", 0)                                    \
	X(I32X4_ADD, 0xAE, "i32x4.add", NONE, "VV:V", 0)                                        \
	X(I32X4_SUB, 0xB1, "i32x4.sub", NONE, "VV:V", 0)                                        \
	X(I32X4_MUL, 0xB5, "i32x4.mul", NONE, "VV:V", 0)                                        \
	X(I32X4_MIN_S, 0xB6, "i32x4.min_s", NONE, "VV:V", 0)                                    \
	X(I32X4_MIN_U, 0xB7, "i32x4.min_u", NONE, "VV:V", 0)                                    \
	X(I32X4_MAX_S, 0xB8, "i32x4.max_s", NONE, "VV:V", 0)                                    \
	X(I32X4_MAX_U, 0xB9, "i32x4.max_u", NONE, "VV:V", 0)                                    \
	X(I32X4_DOT_I16X8_S, 0xBA, "i32x4.dot_i16x8_s", NONE, "VV:V", 0)                        \
	X(I32X4_EXTMUL_LOW_I16X8_S, 0xBC, "i32x4.extmul_low_i16x8_s", NONE, "VV:V", 0)          \
	X(I32X4_EXTMUL_HIGH_I16X8_S, 0xBD, "i32x4.extmul_high_i16x8_s", NONE, "VV:V", 0)        \
	X(I32X4_EXTMUL_LOW_I16X8_U, 0xBE, "i32x4.extmul_low_i16x8_u", NONE, "VV:V", 0)          \
	X(I32X4_EXTMUL_HIGH_I16X8_U, 0xBF, "i32x4.extmul_high_i16x8_u", NONE, "VV:V", 0)        \
	X(I64X2_ABS, 0xC0, "i64x2.abs", NONE, "V:V", 0)                                         \
	X(I64X2_NEG, 0xC1, "i64x2.neg", NONE, "V:V", 0)                                         \
	X(I64X2_ALL_TRUE, 0xC3, "i64x2.all_true", NONE, "V:i", 0)                               \
	X(I64X2_BITMASK, 0xC4, "i64x2.bitmask", NONE, "V:i", 0)                                 \
	X(I64X2_EXTEND_LOW_I32X4_S, 0xC7, "i64x2.extend_low_i32x4_s", NONE, "V:V", 0)           \
	X(I64X2_EXTEND_HIGH_I32X4_S, 0xC8, "i64x2.extend_high_i32x4_s", NONE, "V:V", 0)         \
	X(I64X2_EXTEND_LOW_I32X4_U, 0xC9, "i64x2.extend_low_i32x4_u", NONE, "V:V", 0)           \
	X(I64X2_EXTEND_HIGH_I32X4_U, 0xCA, "i64x2.extend_high_i32x4_u", NONE, "V:V", 0)         \
	X(I64X2_SHL, 0xCB, "i64x2.shl", NONE, "Vi:V", 0)                                        \
	X(I64X2_SHR_S, 0xCC, "i64x2.shr_s", NONE, "Vi:V", 0)                                    \
	X(I64X2_SHR_U, 0xCD, "i64x2.shr_u", NONE, "Vi:V", 0)                                    \
	X(I64X2_ADD, 0xCE, "i64x2.add", NONE, "VV:V", 0)                                        \
	X(I64X2_SUB, 0xD1, "i64x2.sub", NONE, "VV:V", 0)                                        \
	X(I64X2_MUL, 0xD5, "i64x2.mul", NONE, "VV:V", 0)                                        \
	X(I64X2_EQ, 0xD6, "i64x2.eq", NONE, "VV:V", 0)                                          \
	X(I64X2_NE, 0xD7, "i64x2.ne", NONE, "VV:V", 0)                                          \
	X(I64X2_LT_S, 0xD8, "i64x2.lt_s", NONE, "VV:V", 0)                                      \
	X(I64X2_GT_S, 0xD9, "i64x2.gt_s", NONE, "VV:V", 0)                                      \
	X(I64X2_LE_S, 0xDA, "i64x2.le_s", NONE, "VV:V", 0)                                      \
	X(I64X2_GE_S, 0xDB, "i64x2.ge_s", NONE, "VV:V", 0)                                      \
	X(I64X2_EXTMUL_LOW_I32X4_S, 0xDC, "i64x2.extmul_low_i32x4_s", NONE, "VV:V", 0)          \
	X(I64X2_EXTMUL_HIGH_I32X4_S, 0xDD, "i64x2.extmul_high_i32x4_s", NONE, "VV:V", 0)        \
	X(I64X2_EXTMUL_LOW_I32X4_U, 0xDE, "i64x2.extmul_low_i32x4_u", NONE, "VV:V", 0)          \
	X(I64X2_EXTMUL_HIGH_I32X4_U, 0xDF, "i64x2.extmul_high_i32x4_u", NONE, "VV:V", 0)        \
	X(F32X4_CEIL, 0x67, "f32x4.ceil", NONE, "V:V", 0)                                       \
	X(F32X4_FLOOR, 0x68, "f32x4.floor", NONE, "V:V", 0)                                     \
	X(F32X4_TRUNC, 0x69, "f32x4.trunc", NONE, "V:V", 0)                                     \
	X(F32X4_NEAREST, 0x6A, "f32x4.nearest", NONE, "V:V", 0)                                 \
	X(F64X2_CEIL, 0x74, "f64x2.ceil", NONE, "V:V", 0)                                       \
	X(F64X2_FLOOR, 0x75, "f64x2.floor", NONE, "V:V", 0)                                     \
	X(F64X2_TRUNC, 0x7A, "f64x2.trunc", NONE, "V:V", 0)                                     \
	X(F64X2_NEAREST, 0x94, "f64x2.nearest", NONE, "V:V", 0)                                 \
	X(F32X4_ABS, 0xE0, "f32x4.abs", NONE, "V:V", 0)                                         \
	X(F32X4_NEG, 0xE1, "f32x4.neg", NONE, "V:V", 0)                                         \
	X(F32X4_SQRT, 0xE3, "f32x4.sqrt", NONE, "V:V", 0)                                       \
	X(F32X4_ADD, 0xE4, "f32x4.add", NONE, "VV:V", 0)                                        \
	X(F32X4_SUB, 0xE5, "f32x4.sub", NONE, "VV:V", 0)                                        \
	X(F32X4_MUL, 0xE6, "f32x4.mul", NONE, "VV:V", 0)                                        \
	X(F32X4_DIV, 0xE7, "f32x4.div", NONE, "VV:V", 0)                                        \
	X(F32X4_MIN, 0xE8, "f32x4.min", NONE, "VV:V", 0)                                        \
	X(F32X4_MAX, 0xE9, "f32x4.max", NONE, "VV:V", 0)                                        \
	X(F32X4_PMIN, 0xEA, "f32x4.pmin", NONE, "VV:V", 0)                                      \
	X(F32X4_PMAX, 0xEB, "f32x4.pmax", NONE, "VV:V", 0)                                      \
	X(F64X2_ABS, 0xEC, "f64x2.abs", NONE, "V:V", 0)                                         \
	X(F64X2_NEG, 0xED, "f64x2.neg", NONE, "V:V", 0)                                         \
	X(F64X2_SQRT, 0xEF, "f64x2.sqrt", NONE, "V:V", 0)                                       \
	X(F64X2_ADD, 0xF0, "f64x2.add", NONE, "VV:V", 0)                                        \
	X(F64X2_SUB, 0xF1, "f64x2.sub", NONE, "VV:V", 0)                                        \
	X(F64X2_MUL, 0xF2, "f64x2.mul", NONE, "VV:V", 0)                                        \
	X(F64X2_DIV, 0xF3, "f64x2.div", NONE, "VV:V", 0)                                        \
	X(F64X2_MIN, 0xF4, "f64x2.min", NONE, "VV:V", 0)                                        \
	X(F64X2_MAX, 0xF5, "f64x2.max", NONE, "VV:V", 0)                                        \
	X(F64X2_PMIN, 0xF6, "f64x2.pmin", NONE, "VV:V", 0)                                      \
	X(F64X2_PMAX, 0xF7, "f64x2.pmax", NONE, "VV:V", 0)                                      \
	X(I32X4_TRUNC_SAT_F32X4_S, 0xF8, "i32x4.trunc_sat_f32x4_s", NONE, "V:V", 0)             \
	X(I32X4_TRUNC_SAT_F32X4_U, 0xF9, "i32x4.trunc_sat_f32x4_u", NONE, "V:V", 0)             \
	X(F32X4_CONVERT_I32X4_S, 0xFA, "f32x4.convert_i32x4_s", NONE, "V:V", 0)                 \
	X(F32X4_CONVERT_I32X4_U, 0xFB, "f32x4.convert_i32x4_u", NONE, "V:V", 0)                 \
	X(I32X4_TRUNC_SAT_F64X2_S_ZERO, 0xFC, "i32x4.trunc_sat_f64x2_s_zero", NONE, "V:V", 0)   \
	X(I32X4_TRUNC_SAT_F64X2_U_ZERO, 0xFD, "i32x4.trunc_sat_f64x2_u_zero", NONE, "V:V", 0)   \
	X(F64X2_CONVERT_LOW_I32X4_S, 0xFE, "f64x2.convert_low_i32x4_s", NONE, "V:V", 0)         \
	X(F64X2_CONVERT_LOW_I32X4_U, 0xFF, "f64x2.convert_low_i32x4_u", NONE, "V:V", 0)

enum { WT_PREFIX_FC = 0xFC, WT_PREFIX_FD = 0xFD };

/* One enum over both lists: WT_OP_<NAME>. */
typedef enum {
#define WT_X_OP(name, code, text, imm, sig, align) WT_OP_##name,
	WT_OPCODE_LIST(WT_X_OP) WT_OPCODE_FC_LIST(WT_X_OP) WT_OPCODE_FD_LIST(WT_X_OP)
#undef WT_X_OP
	    WT_OP_COUNT
} wt_op;

typedef struct wt_opinfo {
	const char *name;
	const char *sig;
	uint8_t imm; /* wt_imm */
	uint8_t align;
	uint8_t prefix; /* 0, WT_PREFIX_FC or WT_PREFIX_FD */
	uint32_t code;
} wt_opinfo;

/* wt_op -> its row. */
extern const wt_opinfo wt_opinfo_table[WT_OP_COUNT];

/* Maps a raw opcode to wt_op: returns 0 and *op, or -1 for an unknown
 * opcode. prefix is 0 for single-byte opcodes. */
int wt_op_lookup(unsigned prefix, uint32_t code, wt_op *op);

#endif
