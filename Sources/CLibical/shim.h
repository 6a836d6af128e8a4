#ifndef DUTYCAL_CLIBICAL_SHIM_H
#define DUTYCAL_CLIBICAL_SHIM_H
#include <libical/ical.h>

/// `icalerrno` is a macro over a thread-local; Swift cannot read macros, so expose it.
static inline icalerrorenum dutycal_icalerrno(void) { return icalerrno; }
/// Clears libical's error state before a call whose failure we want to attribute.
static inline void dutycal_clear_icalerrno(void) { icalerror_clear_errno(); }
#endif
