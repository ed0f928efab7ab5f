/* check.h: debug-build assertions at API and invariant boundaries (as Lua's api_check).
 * WT_API_CHECK(cond) states what a caller must give (a run object that is not NULL, an fd the
 * table holds); WT_ASSERT(cond) states an invariant of the code itself (a hash table's size is
 * a power of two, the memory budget never goes below zero). Both are active when WT_DEBUG is
 * defined (the build's WT_DEBUG option: on in Debug and sanitizer builds): a false condition
 * prints it with its place and aborts. Without WT_DEBUG they compile to nothing; the condition
 * is still type-checked but never evaluated, so it must have no side effects.
 * Never for what a guest, a module or an input file controls: that is checked with an error
 * (a trap, a WASI errno, a wt_status), in every build. */
#ifndef WT_CHECK_H
#define WT_CHECK_H

/* Prints "wasi-tofu: internal error: KIND `WHAT` failed (FILE:LINE, FUNC)" and aborts. */
_Noreturn void wt_check_fail(const char *kind, const char *what, const char *file, int line,
			     const char *func);

#ifdef WT_DEBUG
#define WT_CHECKS_ON 1
#define WT_API_CHECK(cond) \
	((cond) ? (void)0 : wt_check_fail("API check", #cond, __FILE__, __LINE__, __func__))
#define WT_ASSERT(cond) \
	((cond) ? (void)0 : wt_check_fail("assertion", #cond, __FILE__, __LINE__, __func__))
#else
#define WT_CHECKS_ON 0
#define WT_API_CHECK(cond) ((void)sizeof(!(cond)))
#define WT_ASSERT(cond) ((void)sizeof(!(cond)))
#endif

#endif
