#ifndef XDBG_CLIBUNWIND_SHIM_H
#define XDBG_CLIBUNWIND_SHIM_H
// libunwind, local unwinding only (the calling process's own stack).
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <stdint.h>

/// Captures the calling thread's stack: up to `max` frames' instruction pointers and stack
/// pointers, after skipping the innermost `skip` (this function is never among them).
/// Returns the number of frames stored, or -1 if libunwind could not start.
static inline int xdbg_unw_capture(uint64_t *pcs, uint64_t *sps, int max, int skip) {
    unw_context_t context;
    unw_cursor_t cursor;
    if (unw_getcontext(&context) != 0) return -1;
    if (unw_init_local(&cursor, &context) != 0) return -1;
    int n = 0;
    while (n < max) {
        unw_word_t ip = 0, sp = 0;
        if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0) break;
        unw_get_reg(&cursor, UNW_REG_SP, &sp);
        if (skip > 0) {
            skip--;
        } else {
            pcs[n] = (uint64_t)ip;
            sps[n] = (uint64_t)sp;
            n++;
        }
        if (unw_step(&cursor) <= 0) break;
    }
    return n;
}

#endif
