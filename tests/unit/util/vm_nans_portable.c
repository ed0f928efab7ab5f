/* vm_nans_portable.c: the interpreter's float arithmetic built as on a target without the x86-64
 * asm path (-DWT_VM_PORTABLE_NANS), for test_vm_nans.c to hold it to the same bits. */
#include "vm_nans_portable.h"

#include "vm_num.h"

WT_TEST_NAN_OPS(, wt_test_portable_f32, wt_test_portable_f64)
