/* gccjit.h: libgccjit, loaded when the tier first compiles rather than when the process starts:
 * linked, its relocations cost every run of the tool about 6 ms before main (a trivial module's
 * whole run took 10 ms; docs/engine.md, "Start-up"), for a library most runs never call (an
 * interpreted run, an `auto` run whose compile child has nothing to compile). The translator and
 * the driver include this header instead of <libgccjit.h>: each gcc_jit_* function they call is a
 * pointer of wt_gccjit, filled by wt_gccjit_load() from the shared library. */
#ifndef WT_GCCJIT_H
#define WT_GCCJIT_H

#include <libgccjit.h>

#include "error.h"

/* The libgccjit functions the tier calls (jit_gen*.c, jit_tier.c); a new call needs its name here
 * and a #define below. */
#define WT_GCCJIT_FUNCS(X)                                   \
	X(gcc_jit_block_add_assignment)                      \
	X(gcc_jit_block_add_assignment_op)                   \
	X(gcc_jit_block_add_eval)                            \
	X(gcc_jit_block_end_with_conditional)                \
	X(gcc_jit_block_end_with_jump)                       \
	X(gcc_jit_block_end_with_return)                     \
	X(gcc_jit_block_end_with_switch)                     \
	X(gcc_jit_context_acquire)                           \
	X(gcc_jit_context_add_command_line_option)           \
	X(gcc_jit_context_add_driver_option)                 \
	X(gcc_jit_context_compile_to_file)                   \
	X(gcc_jit_context_get_builtin_function)              \
	X(gcc_jit_context_get_first_error)                   \
	X(gcc_jit_context_get_type)                          \
	X(gcc_jit_context_new_array_access)                  \
	X(gcc_jit_context_new_array_type)                    \
	X(gcc_jit_context_new_binary_op)                     \
	X(gcc_jit_context_new_bitcast)                       \
	X(gcc_jit_context_new_call)                          \
	X(gcc_jit_context_new_call_through_ptr)              \
	X(gcc_jit_context_new_case)                          \
	X(gcc_jit_context_new_cast)                          \
	X(gcc_jit_context_new_comparison)                    \
	X(gcc_jit_context_new_field)                         \
	X(gcc_jit_context_new_function)                      \
	X(gcc_jit_context_new_function_ptr_type)             \
	X(gcc_jit_context_new_global)                        \
	X(gcc_jit_context_new_param)                         \
	X(gcc_jit_context_new_rvalue_from_int)               \
	X(gcc_jit_context_new_rvalue_from_long)              \
	X(gcc_jit_context_new_rvalue_from_vector)            \
	X(gcc_jit_context_new_struct_type)                   \
	X(gcc_jit_context_new_unary_op)                      \
	X(gcc_jit_context_null)                              \
	X(gcc_jit_context_release)                           \
	X(gcc_jit_context_set_bool_allow_unreachable_blocks) \
	X(gcc_jit_context_set_bool_option)                   \
	X(gcc_jit_context_set_bool_print_errors_to_stderr)   \
	X(gcc_jit_context_set_int_option)                    \
	X(gcc_jit_function_get_address)                      \
	X(gcc_jit_function_get_param)                        \
	X(gcc_jit_function_new_block)                        \
	X(gcc_jit_function_new_local)                        \
	X(gcc_jit_global_set_initializer)                    \
	X(gcc_jit_lvalue_access_field)                       \
	X(gcc_jit_lvalue_as_rvalue)                          \
	X(gcc_jit_lvalue_get_address)                        \
	X(gcc_jit_param_as_rvalue)                           \
	X(gcc_jit_rvalue_dereference)                        \
	X(gcc_jit_rvalue_get_type)                           \
	X(gcc_jit_struct_as_type)                            \
	X(gcc_jit_type_get_aligned)                          \
	X(gcc_jit_type_get_const)                            \
	X(gcc_jit_type_get_pointer)                          \
	X(gcc_jit_type_get_size)                             \
	X(gcc_jit_type_get_vector)                           \
	X(gcc_jit_type_get_volatile)

#ifdef LIBGCCJIT_HAVE_ASM_STATEMENTS
#define WT_GCCJIT_ASM_FUNCS(X)                     \
	X(gcc_jit_block_add_extended_asm)          \
	X(gcc_jit_extended_asm_add_input_operand)  \
	X(gcc_jit_extended_asm_add_output_operand) \
	X(gcc_jit_extended_asm_set_volatile_flag)
#else
#define WT_GCCJIT_ASM_FUNCS(X)
#endif

#define WT_GCCJIT_FIELD(f) __typeof__(f) *f;
typedef struct wt_gccjit {
	WT_GCCJIT_FUNCS(WT_GCCJIT_FIELD)
	WT_GCCJIT_ASM_FUNCS(WT_GCCJIT_FIELD)
} wt_gccjit;
#undef WT_GCCJIT_FIELD

extern wt_gccjit wt_gccjit_fn;

/* Loads libgccjit (WT_GCCJIT_SONAME) and every function of the lists, once for the process
 * (before self-confinement: it maps code). 0, or WT_INTERNAL with dlopen's or dlsym's words in
 * err, and the same every later call. */
int wt_gccjit_load(wt_error *err);

#define WT_GCCJIT_SONAME "libgccjit.so.0"

/* From here on, each call of a listed function goes through its pointer (but in gccjit.c, which
 * fills them). */
#ifndef WT_GCCJIT_LOADER
#define gcc_jit_block_add_assignment (wt_gccjit_fn.gcc_jit_block_add_assignment)
#define gcc_jit_block_add_assignment_op (wt_gccjit_fn.gcc_jit_block_add_assignment_op)
#define gcc_jit_block_add_eval (wt_gccjit_fn.gcc_jit_block_add_eval)
#define gcc_jit_block_end_with_conditional (wt_gccjit_fn.gcc_jit_block_end_with_conditional)
#define gcc_jit_block_end_with_jump (wt_gccjit_fn.gcc_jit_block_end_with_jump)
#define gcc_jit_block_end_with_return (wt_gccjit_fn.gcc_jit_block_end_with_return)
#define gcc_jit_block_end_with_switch (wt_gccjit_fn.gcc_jit_block_end_with_switch)
#define gcc_jit_context_acquire (wt_gccjit_fn.gcc_jit_context_acquire)
#define gcc_jit_context_add_command_line_option \
	(wt_gccjit_fn.gcc_jit_context_add_command_line_option)
#define gcc_jit_context_add_driver_option (wt_gccjit_fn.gcc_jit_context_add_driver_option)
#define gcc_jit_context_compile_to_file (wt_gccjit_fn.gcc_jit_context_compile_to_file)
#define gcc_jit_context_get_builtin_function (wt_gccjit_fn.gcc_jit_context_get_builtin_function)
#define gcc_jit_context_get_first_error (wt_gccjit_fn.gcc_jit_context_get_first_error)
#define gcc_jit_context_get_type (wt_gccjit_fn.gcc_jit_context_get_type)
#define gcc_jit_context_new_array_access (wt_gccjit_fn.gcc_jit_context_new_array_access)
#define gcc_jit_context_new_array_type (wt_gccjit_fn.gcc_jit_context_new_array_type)
#define gcc_jit_context_new_binary_op (wt_gccjit_fn.gcc_jit_context_new_binary_op)
#define gcc_jit_context_new_bitcast (wt_gccjit_fn.gcc_jit_context_new_bitcast)
#define gcc_jit_context_new_call (wt_gccjit_fn.gcc_jit_context_new_call)
#define gcc_jit_context_new_call_through_ptr (wt_gccjit_fn.gcc_jit_context_new_call_through_ptr)
#define gcc_jit_context_new_case (wt_gccjit_fn.gcc_jit_context_new_case)
#define gcc_jit_context_new_cast (wt_gccjit_fn.gcc_jit_context_new_cast)
#define gcc_jit_context_new_comparison (wt_gccjit_fn.gcc_jit_context_new_comparison)
#define gcc_jit_context_new_field (wt_gccjit_fn.gcc_jit_context_new_field)
#define gcc_jit_context_new_function (wt_gccjit_fn.gcc_jit_context_new_function)
#define gcc_jit_context_new_function_ptr_type (wt_gccjit_fn.gcc_jit_context_new_function_ptr_type)
#define gcc_jit_context_new_global (wt_gccjit_fn.gcc_jit_context_new_global)
#define gcc_jit_context_new_param (wt_gccjit_fn.gcc_jit_context_new_param)
#define gcc_jit_context_new_rvalue_from_int (wt_gccjit_fn.gcc_jit_context_new_rvalue_from_int)
#define gcc_jit_context_new_rvalue_from_long (wt_gccjit_fn.gcc_jit_context_new_rvalue_from_long)
#define gcc_jit_context_new_rvalue_from_vector (wt_gccjit_fn.gcc_jit_context_new_rvalue_from_vector)
#define gcc_jit_context_new_struct_type (wt_gccjit_fn.gcc_jit_context_new_struct_type)
#define gcc_jit_context_new_unary_op (wt_gccjit_fn.gcc_jit_context_new_unary_op)
#define gcc_jit_context_null (wt_gccjit_fn.gcc_jit_context_null)
#define gcc_jit_context_release (wt_gccjit_fn.gcc_jit_context_release)
#define gcc_jit_context_set_bool_allow_unreachable_blocks \
	(wt_gccjit_fn.gcc_jit_context_set_bool_allow_unreachable_blocks)
#define gcc_jit_context_set_bool_option (wt_gccjit_fn.gcc_jit_context_set_bool_option)
#define gcc_jit_context_set_bool_print_errors_to_stderr \
	(wt_gccjit_fn.gcc_jit_context_set_bool_print_errors_to_stderr)
#define gcc_jit_context_set_int_option (wt_gccjit_fn.gcc_jit_context_set_int_option)
#define gcc_jit_function_get_address (wt_gccjit_fn.gcc_jit_function_get_address)
#define gcc_jit_function_get_param (wt_gccjit_fn.gcc_jit_function_get_param)
#define gcc_jit_function_new_block (wt_gccjit_fn.gcc_jit_function_new_block)
#define gcc_jit_function_new_local (wt_gccjit_fn.gcc_jit_function_new_local)
#define gcc_jit_global_set_initializer (wt_gccjit_fn.gcc_jit_global_set_initializer)
#define gcc_jit_lvalue_access_field (wt_gccjit_fn.gcc_jit_lvalue_access_field)
#define gcc_jit_lvalue_as_rvalue (wt_gccjit_fn.gcc_jit_lvalue_as_rvalue)
#define gcc_jit_lvalue_get_address (wt_gccjit_fn.gcc_jit_lvalue_get_address)
#define gcc_jit_param_as_rvalue (wt_gccjit_fn.gcc_jit_param_as_rvalue)
#define gcc_jit_rvalue_dereference (wt_gccjit_fn.gcc_jit_rvalue_dereference)
#define gcc_jit_rvalue_get_type (wt_gccjit_fn.gcc_jit_rvalue_get_type)
#define gcc_jit_struct_as_type (wt_gccjit_fn.gcc_jit_struct_as_type)
#define gcc_jit_type_get_aligned (wt_gccjit_fn.gcc_jit_type_get_aligned)
#define gcc_jit_type_get_const (wt_gccjit_fn.gcc_jit_type_get_const)
#define gcc_jit_type_get_pointer (wt_gccjit_fn.gcc_jit_type_get_pointer)
#define gcc_jit_type_get_size (wt_gccjit_fn.gcc_jit_type_get_size)
#define gcc_jit_type_get_vector (wt_gccjit_fn.gcc_jit_type_get_vector)
#define gcc_jit_type_get_volatile (wt_gccjit_fn.gcc_jit_type_get_volatile)
#ifdef LIBGCCJIT_HAVE_ASM_STATEMENTS
#define gcc_jit_block_add_extended_asm (wt_gccjit_fn.gcc_jit_block_add_extended_asm)
#define gcc_jit_extended_asm_add_input_operand (wt_gccjit_fn.gcc_jit_extended_asm_add_input_operand)
#define gcc_jit_extended_asm_add_output_operand \
	(wt_gccjit_fn.gcc_jit_extended_asm_add_output_operand)
#define gcc_jit_extended_asm_set_volatile_flag (wt_gccjit_fn.gcc_jit_extended_asm_set_volatile_flag)
#endif
#endif

#endif
