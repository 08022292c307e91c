#ifndef CMEMORYHINTS_H
#define CMEMORYHINTS_H

/// Asks the processor to start loading the cache line at `address`, for reading, without
/// waiting for it. A hint only: the address need not be valid.
static inline void memory_hints_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
