// Structural-character scan for CSV (the approach of simdcsv/simdjson): 64 bytes at a time, masks
// of commas, line feeds, quotes and CRs from SSE2 compares (every x86-64 processor has SSE2); the
// bytes inside quotes are the prefix XOR of the quote mask, and structurals inside quotes are dropped.
#include "CDecoyKernels.h"

#include <string.h>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

static inline uint64_t eq_mask(const uint8_t *b, uint8_t c) {
#if defined(__x86_64__)
  const __m128i v = _mm_set1_epi8((char)c);
  uint64_t m = 0;
  for (int k = 0; k < 4; k++) {
    __m128i x = _mm_loadu_si128((const __m128i *)(b + 16 * k));
    m |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, v)) << (16 * k);
  }
  return m;
#else
  uint64_t m = 0;
  for (int k = 0; k < 64; k++) m |= (uint64_t)(b[k] == c) << k;
  return m;
#endif
}

static inline uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

size_t decoy_csv_structurals(const uint8_t *p, size_t len, uint32_t *idx, int *special) {
  size_t n = 0;
  uint64_t in_quote = 0;    // all ones while the previous block ended inside quotes
  int line_quoted = 0;      // a quote since the last line feed
  int bad = 0;
  uint8_t tail[64];
  for (size_t i = 0; i < len; i += 64) {
    const uint8_t *b = p + i;
    size_t avail = len - i;
    if (avail < 64) {
      memset(tail, 0, sizeof tail);
      memcpy(tail, b, avail);
      b = tail;
    }
    uint64_t comma = eq_mask(b, ','), lf = eq_mask(b, '\n'), quote = eq_mask(b, '"'), cr = eq_mask(b, '\r');
    uint64_t inside = prefix_xor(quote) ^ in_quote;
    in_quote = (uint64_t)((int64_t)inside >> 63);
    if (cr || (lf & inside)) bad = 1;   // CRs and line feeds inside quotes: the caller's full reader
    uint64_t s = (comma | lf) & ~inside;
    uint64_t pending = quote;           // quotes not yet attributed to a line
    while (s) {
      int bit = __builtin_ctzll(s);
      uint32_t entry = (uint32_t)(i + (size_t)bit);
      if ((lf >> bit) & 1) {
        uint64_t upto = bit == 63 ? ~0ULL : ((1ULL << (bit + 1)) - 1);
        if (line_quoted || (pending & upto)) entry |= 0x80000000u;
        pending &= ~upto;
        line_quoted = 0;
      }
      idx[n++] = entry;
      s &= s - 1;
    }
    if (pending) line_quoted = 1;
  }
  if (in_quote) bad = 1;
  if (bad) *special = 1;
  return n;
}

long decoy_last_index_of(const uint8_t *p, size_t len, uint8_t byte) {
  while (len > 0) {
    len--;
    if (p[len] == byte) return (long)len;
  }
  return -1;
}
