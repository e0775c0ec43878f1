// Allocator tuning for short, allocation-heavy runs.
#include "CDecoyKernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void decoy_malloc_keep_freed_memory(void) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}
