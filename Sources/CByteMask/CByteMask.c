// CByteMask is its header alone (static inline functions); a C target needs a source file.
#include "CByteMask.h"
