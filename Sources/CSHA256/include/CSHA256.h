#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Returns 1 when this CPU can run csha256_compress_hardware
/// (x86-64 with SHA extensions, SSE4.1 and SSSE3), else 0.
/// Always 0 on other architectures.
int csha256_hardware_available(void);

/// Runs the SHA-256 compression function over `block_count` consecutive
/// 64-byte blocks at `blocks`, updating `state` (the eight working words
/// H0...H7 in host order). `blocks` needs no particular alignment.
///
/// Call only when csha256_hardware_available() returned 1: on other CPUs it
/// faults with an illegal instruction, and on non-x86 builds it traps.
void csha256_compress_hardware(uint32_t state[8], const uint8_t *blocks, size_t block_count);

#ifdef __cplusplus
}
#endif

#endif
