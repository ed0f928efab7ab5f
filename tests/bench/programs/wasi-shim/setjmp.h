/* setjmp.h: empty: Lua errors abort under WASI (no setjmp) */
