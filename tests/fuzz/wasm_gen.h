/* wasm_gen.h: random VALID WebAssembly modules for differential testing of execution engines.
 *
 * wg_generate(seed) builds one module, the same bytes for the same seed on every machine. The
 * module imports wasi_snapshot_preview1.fd_write and exports `memory` and `_start`. Its
 * functions use i32/i64/f32/f64 arithmetic and conversions (trapping and saturating), locals,
 * mutable globals, block/loop/if/br/br_if/br_table/return with every loop bounded by a counter,
 * loads and stores (sometimes out of bounds), memory.size/grow/fill/copy, select, call and
 * call_indirect through a funcref table (type mismatches and null entries included), and rare
 * `unreachable`s and integer divisions that may trap, and vector (v128) expressions whose NaN
 * payloads never become visible. A function only calls functions after it,
 * so nothing recurses and every run ends. `_start` calls each function with constant arguments
 * and writes each result, then every global and a checksum of the whole memory, as one line of
 * 16 hex digits per value on stdout (fd_write). Functions also write intermediate values.
 *
 * Floating-point values are canonicalised (any NaN becomes the canonical quiet NaN) wherever
 * their bits become observable: stores, reinterpretations, copysign's sign operand and output.
 * The spec leaves NaN payloads nondeterministic; with this, two correct engines print the same
 * bytes, so any difference in output, trap or no trap, is a bug in one of them (unless
 * WG_NAN_BITS, below). */
#ifndef WT_WASM_GEN_H
#define WT_WASM_GEN_H

#include <stddef.h>
#include <stdint.h>

/* WG_NAN_BITS: for engines that promise the same NaN bits (two tiers of wasi-tofu): float
 * constants are sometimes NaNs of chosen bits (quiet and signalling, either sign, payloads),
 * as fNN.const or as the reinterpretation of an integer constant, and nothing is canonicalised,
 * so every NaN's bits reach the output. The same seed without it gives the same module as
 * before the flag existed. */
enum { WG_NAN_BITS = 1 };

/* The module for `seed` (and flags) in a malloc'd buffer (*size bytes); out of memory ends the
 * process. */
uint8_t *wg_generate(uint64_t seed, unsigned flags, size_t *size);

#endif
