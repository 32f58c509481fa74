#ifndef XDBG_CLIBDW_SHIM_H
#define XDBG_CLIBDW_SHIM_H
// elfutils: libelf (sections, symbols), libdw (DWARF line tables), libdwfl (the running process).
#include <gelf.h>
#include <libelf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <unistd.h>

/// A Dwfl session over the running process (its mapped modules from /proc/self/maps), or NULL.
static inline Dwfl *xdbg_dwfl_begin_self(void) {
    static const Dwfl_Callbacks callbacks = {
        .find_elf = dwfl_linux_proc_find_elf,
        .find_debuginfo = dwfl_standard_find_debuginfo,
        .section_address = NULL,
        .debuginfo_path = NULL,
    };
    Dwfl *dwfl = dwfl_begin(&callbacks);
    if (dwfl == NULL) return NULL;
    dwfl_report_begin(dwfl);
    if (dwfl_linux_proc_report(dwfl, getpid()) != 0) {
        dwfl_end(dwfl);
        return NULL;
    }
    dwfl_report_end(dwfl, NULL, NULL);
    return dwfl;
}

/// The name of module `mod` (its main file's path where known).
static inline const char *xdbg_dwfl_module_name(Dwfl_Module *mod) {
    const char *mainfile = NULL;
    const char *name = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &mainfile, NULL);
    return mainfile != NULL ? mainfile : name;
}

#endif
