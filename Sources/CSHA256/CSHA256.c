#include "CSHA256.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

int csha256_hardware_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    const int has_ssse3 = (ecx & bit_SSSE3) != 0;
    const int has_sse41 = (ecx & bit_SSE4_1) != 0;
    // Leaf 7 may be missing on old CPUs; __get_cpuid_count checks the maximum leaf.
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    const int has_sha = (ebx & bit_SHA) != 0;
    // Only XMM registers are used, which every x86-64 OS saves, so no XGETBV check.
    return has_ssse3 && has_sse41 && has_sha;
}

/// FIPS 180-4 round constants, 16-byte aligned for four-at-a-time loads.
static const uint32_t round_constants[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/// Four rounds on message words W[4i...4i+3], held in `current`.
/// `sha256rnds2` does two rounds per call; the shuffle moves the upper two
/// words (plus constants) down for the second call.
#define FOUR_ROUNDS(i, current)                                                   \
    do {                                                                          \
        message = _mm_add_epi32(                                                  \
            (current), _mm_load_si128((const __m128i *)&round_constants[4 * (i)])); \
        state1 = _mm_sha256rnds2_epu32(state1, state0, message);                  \
        message = _mm_shuffle_epi32(message, 0x0E);                               \
        state0 = _mm_sha256rnds2_epu32(state0, state1, message);                  \
    } while (0)

/// Four rounds on `current` = W[4i...] interleaved with the message schedule:
/// when `finish_next`, completes `next` = W[4i+4...] (msg2); when
/// `start_previous`, turns `previous` = W[4i-4...], used here for the last
/// time, into the first half of W[4i+12...] (msg1).
#define FOUR_ROUNDS_SCHEDULE(i, current, next, previous, finish_next, start_previous) \
    do {                                                                          \
        message = _mm_add_epi32(                                                  \
            (current), _mm_load_si128((const __m128i *)&round_constants[4 * (i)])); \
        state1 = _mm_sha256rnds2_epu32(state1, state0, message);                  \
        if (finish_next) {                                                        \
            (next) = _mm_add_epi32((next), _mm_alignr_epi8((current), (previous), 4)); \
            (next) = _mm_sha256msg2_epu32((next), (current));                     \
        }                                                                         \
        message = _mm_shuffle_epi32(message, 0x0E);                               \
        state0 = _mm_sha256rnds2_epu32(state0, state1, message);                  \
        if (start_previous) {                                                       \
            (previous) = _mm_sha256msg1_epu32((previous), (current));             \
        }                                                                         \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3")))
void csha256_compress_hardware(uint32_t state[8], const uint8_t *blocks, size_t block_count) {
    // Message bytes are big-endian words; this shuffle swaps each 32-bit lane.
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

    // sha256rnds2 wants the state as ABEF / CDGH rather than ABCD / EFGH.
    __m128i temporary = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]);
    temporary = _mm_shuffle_epi32(temporary, 0xB1);            // CDAB
    state1 = _mm_shuffle_epi32(state1, 0x1B);                  // EFGH
    __m128i state0 = _mm_alignr_epi8(temporary, state1, 8);    // ABEF
    state1 = _mm_blend_epi16(state1, temporary, 0xF0);         // CDGH

    for (size_t block = 0; block < block_count; block += 1) {
        const uint8_t *data = blocks + 64 * block;
        const __m128i saved0 = state0;
        const __m128i saved1 = state1;
        __m128i message;

        __m128i words0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), byte_swap);
        __m128i words1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), byte_swap);
        __m128i words2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), byte_swap);
        __m128i words3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), byte_swap);

        // Group i uses words[i % 4]; a group finishes W for i+1 (3...14)
        // and starts W for i+3 with msg1 (1...12).
        FOUR_ROUNDS(0, words0);
        FOUR_ROUNDS_SCHEDULE(1, words1, words2, words0, 0, 1);
        FOUR_ROUNDS_SCHEDULE(2, words2, words3, words1, 0, 1);
        FOUR_ROUNDS_SCHEDULE(3, words3, words0, words2, 1, 1);
        FOUR_ROUNDS_SCHEDULE(4, words0, words1, words3, 1, 1);
        FOUR_ROUNDS_SCHEDULE(5, words1, words2, words0, 1, 1);
        FOUR_ROUNDS_SCHEDULE(6, words2, words3, words1, 1, 1);
        FOUR_ROUNDS_SCHEDULE(7, words3, words0, words2, 1, 1);
        FOUR_ROUNDS_SCHEDULE(8, words0, words1, words3, 1, 1);
        FOUR_ROUNDS_SCHEDULE(9, words1, words2, words0, 1, 1);
        FOUR_ROUNDS_SCHEDULE(10, words2, words3, words1, 1, 1);
        FOUR_ROUNDS_SCHEDULE(11, words3, words0, words2, 1, 1);
        FOUR_ROUNDS_SCHEDULE(12, words0, words1, words3, 1, 1);
        FOUR_ROUNDS_SCHEDULE(13, words1, words2, words0, 1, 0);
        FOUR_ROUNDS_SCHEDULE(14, words2, words3, words1, 1, 0);
        FOUR_ROUNDS(15, words3);

        state0 = _mm_add_epi32(state0, saved0);
        state1 = _mm_add_epi32(state1, saved1);
    }

    // Back from ABEF / CDGH to ABCD / EFGH.
    temporary = _mm_shuffle_epi32(state0, 0x1B);               // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);                  // DCHG
    state0 = _mm_blend_epi16(temporary, state1, 0xF0);         // DCBA
    state1 = _mm_alignr_epi8(state1, temporary, 8);            // HGFE
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}

#undef FOUR_ROUNDS
#undef FOUR_ROUNDS_SCHEDULE

#else

int csha256_hardware_available(void) {
    return 0;
}

void csha256_compress_hardware(uint32_t state[8], const uint8_t *blocks, size_t block_count) {
    (void)state;
    (void)blocks;
    (void)block_count;
    // Never reached: callers check csha256_hardware_available() first.
    __builtin_trap();
}

#endif
