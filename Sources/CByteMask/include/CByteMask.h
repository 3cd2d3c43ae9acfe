// Which of sixteen bytes pass a test, as sixteen bits: the SSE2 instruction PMOVMSKB, which
// Swift's SIMD types have no operation for (their masks are read back a lane at a time).
// The text loops of SeedLang (case mapping, counting characters) find the few bytes they must
// look at this way. Elsewhere than x86-64, a plain loop.
#ifndef SEEDNB_CBYTEMASK_H
#define SEEDNB_CBYTEMASK_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The bytes of the sixteen at `bytes` that are `bound` or more, one bit each, the first
/// byte's lowest.
static inline uint32_t seednb_bytes_from(const uint8_t *bytes, uint8_t bound) {
#if defined(__SSE2__)
  __m128i v = _mm_loadu_si128((const __m128i *)bytes);
  __m128i b = _mm_set1_epi8((char)bound);
  return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, b), v));
#else
  uint32_t mask = 0;
  for (int i = 0; i < 16; i++) mask |= (uint32_t)(bytes[i] >= bound) << i;
  return mask;
#endif
}

/// The bytes of the sixteen at `bytes` that are `value`, one bit each, the first byte's lowest.
static inline uint32_t seednb_bytes_equal(const uint8_t *bytes, uint8_t value) {
#if defined(__SSE2__)
  __m128i v = _mm_loadu_si128((const __m128i *)bytes);
  return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)value)));
#else
  uint32_t mask = 0;
  for (int i = 0; i < 16; i++) mask |= (uint32_t)(bytes[i] == value) << i;
  return mask;
#endif
}

/// The bytes of the sixteen at `bytes` that begin a UTF-8 scalar (all but 10xxxxxx), one bit
/// each, the first byte's lowest.
static inline uint32_t seednb_scalar_starts(const uint8_t *bytes) {
#if defined(__SSE2__)
  __m128i v = _mm_loadu_si128((const __m128i *)bytes);
  return (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_set1_epi8(-65)));
#else
  uint32_t mask = 0;
  for (int i = 0; i < 16; i++) mask |= (uint32_t)((bytes[i] & 0xC0) != 0x80) << i;
  return mask;
#endif
}

#endif
