// Structural-character scans for CSV (the approach of simdcsv/simdjson): 64 bytes at a time, masks
// of commas, line feeds, quotes and CRs from AVX-512BW compares (one instruction per mask) or SSE2
// (every x86-64 processor has it); the bytes inside quotes are the prefix XOR of the quote mask, and
// structurals inside quotes are dropped. A block with no quote near it needs none of that: its
// offsets are written eight at a time. A second scan lists nothing: it reads two integer fields of
// each line where quotes allow (pass 1 of the enrichment needs only the ids).
#include "CDecoyKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <emmintrin.h>
#include <immintrin.h>
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

// The 64 bytes at p[i...], or, for the last block, its bytes zero-padded in `tail`.
static inline const uint8_t *block_at(const uint8_t *p, size_t len, size_t i, uint8_t tail[64]) {
  size_t avail = len - i;
  if (avail >= 64) return p + i;
  memset(tail, 0, 64);
  memcpy(tail, p + i, avail);
  return tail;
}

// The scan, with the four byte masks of each 64-byte block from `masks`.
#define SCAN_BODY(MASKS)                                                                              \
  size_t n = 0;                                                                                       \
  uint64_t in_quote = 0;    /* all ones while the previous block ended inside quotes */              \
  int line_quoted = 0;      /* a quote since the last line feed */                                   \
  int bad = 0;                                                                                        \
  uint8_t tail[64];                                                                                   \
  for (size_t i = 0; i < len; i += 64) {                                                              \
    const uint8_t *b = block_at(p, len, i, tail);                                                     \
    uint64_t comma, lf, quote, cr;                                                                    \
    MASKS(b, comma, lf, quote, cr);                                                                   \
    if (!quote && !line_quoted && !in_quote) {                                                        \
      /* No quotes anywhere near: every comma and line feed, unflagged, eight at a time. */          \
      if (cr) bad = 1;                                                                                \
      uint64_t s = comma | lf;                                                                        \
      size_t count = (size_t)__builtin_popcountll(s);                                                 \
      uint32_t *o = idx + n;                                                                          \
      while (s) {                                                                                     \
        for (int k = 0; k < 8; k++) {                                                                 \
          o[k] = (uint32_t)(i + (size_t)__builtin_ctzll(s | (1ULL << 63)));                          \
          s &= s - 1;                                                                                 \
        }                                                                                             \
        o += 8;                                                                                       \
      }                                                                                               \
      n += count;                                                                                     \
      continue;                                                                                       \
    }                                                                                                 \
    uint64_t inside = prefix_xor(quote) ^ in_quote;                                                   \
    in_quote = (uint64_t)((int64_t)inside >> 63);                                                     \
    if (cr || (lf & inside)) bad = 1;   /* CRs and line feeds inside quotes: the full reader */      \
    uint64_t s = (comma | lf) & ~inside;                                                              \
    uint64_t pending = quote;           /* quotes not yet attributed to a line */                    \
    while (s) {                                                                                       \
      int bit = __builtin_ctzll(s);                                                                   \
      uint32_t entry = (uint32_t)(i + (size_t)bit);                                                   \
      if ((lf >> bit) & 1) {                                                                          \
        uint64_t upto = bit == 63 ? ~0ULL : ((1ULL << (bit + 1)) - 1);                                \
        if (line_quoted || (pending & upto)) entry |= 0x80000000u;                                    \
        pending &= ~upto;                                                                             \
        line_quoted = 0;                                                                              \
      }                                                                                               \
      idx[n++] = entry;                                                                               \
      s &= s - 1;                                                                                     \
    }                                                                                                 \
    if (pending) line_quoted = 1;                                                                     \
  }                                                                                                   \
  if (in_quote) bad = 1;                                                                              \
  if (bad) *special = 1;                                                                              \
  return n;

#define SSE2_MASKS(b, comma, lf, quote, cr) \
  comma = eq_mask(b, ','); lf = eq_mask(b, '\n'); quote = eq_mask(b, '"'); cr = eq_mask(b, '\r')

static size_t scan_sse2(const uint8_t *p, size_t len, uint32_t *idx, int *special) { SCAN_BODY(SSE2_MASKS) }

#if defined(__x86_64__)
#define AVX512_MASKS(b, comma, lf, quote, cr)                       \
  do {                                                               \
    __m512i x = _mm512_loadu_si512((const void *)(b));               \
    comma = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(','));        \
    lf = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));          \
    quote = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('"'));        \
    cr = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\r'));          \
  } while (0)

__attribute__((target("avx512f,avx512bw")))
static size_t scan_avx512(const uint8_t *p, size_t len, uint32_t *idx, int *special) { SCAN_BODY(AVX512_MASKS) }

static int avx512bw(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;  // OSXSAVE
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0xE6) != 0xE6) return 0;                                     // AVX-512 state enabled
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return (b & (1u << 16)) && (b & (1u << 30));                           // AVX512F, AVX512BW
}
#endif

// A field as an integer: an optional sign, then digits, without overflow (PandasColumnType.integer).
static int parse_int(const uint8_t *s, size_t n, int64_t *out) {
  if (n == 0) return 0;
  size_t i = 0;
  int negative = 0;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    if (n == 1) return 0;
    i = 1;
  }
  int64_t v = 0;
  if (n - i <= 18) {  // at most 18 digits cannot overflow
    for (; i < n; i++) {
      unsigned d = (unsigned)s[i] - '0';
      if (d > 9) return 0;
      v = v * 10 + (int64_t)d;
    }
  } else {
    for (; i < n; i++) {
      unsigned d = (unsigned)s[i] - '0';
      if (d > 9) return 0;
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (int64_t)d, &v)) return 0;
    }
  }
  *out = negative ? -v : v;
  return 1;
}

// Fields col_a and col_b of one line as integers; 0 when one is quoted or not an integer. The
// line's field count and quotes are already checked: a quote opens a field and the next one ends
// it, just before a comma or the line's end.
static int line_ids(const uint8_t *s, size_t n, size_t col_a, size_t col_b, int64_t *a, int64_t *b) {
  size_t last = col_a > col_b ? col_a : col_b;
  size_t pos = 0;
  for (size_t f = 0; f <= last; f++) {
    size_t start = pos;
    if (pos < n && s[pos] == '"') {
      if (f == col_a || f == col_b) return 0;
      const uint8_t *close = memchr(s + pos + 1, '"', n - pos - 1);
      if (!close) return 0;
      pos = (size_t)(close - s) + 1;
    } else {
      while (pos < n && s[pos] != ',') pos++;
      if (f == col_a && !parse_int(s + start, pos - start, a)) return 0;
      if (f == col_b && !parse_int(s + start, pos - start, b)) return 0;
    }
    pos++;
  }
  return 1;
}

// The block-ids scan with the four byte masks of each 64-byte block from `masks`. Quotes are
// checked to wrap whole fields: an opening quote (one that starts quoted bytes) follows a comma,
// a line feed or the start; a closing one is followed by a comma, a line feed or the end. Then
// the commas outside quotes count each line's fields exactly as the full reader splits them.
#define IDS_BODY(MASKS)                                                                              \
  size_t lines = 0, commas = 0, line_start = 0;                                                      \
  uint64_t in_quote = 0;                                                                             \
  uint64_t prev_sep = 1; /* the byte before this block is a separator (or the start) */              \
  uint8_t tail[64];                                                                                  \
  for (size_t i = 0; i < len; i += 64) {                                                             \
    const uint8_t *b = block_at(p, len, i, tail);                                                    \
    uint64_t comma, lf, quote, cr;                                                                   \
    MASKS(b, comma, lf, quote, cr);                                                                  \
    if (cr) return -1;                                                                               \
    uint64_t sep = comma | lf;                                                                       \
    uint64_t inside = 0;                                                                             \
    if (quote || in_quote) {                                                                         \
      inside = prefix_xor(quote) ^ in_quote;                                                         \
      in_quote = (uint64_t)((int64_t)inside >> 63);                                                  \
      uint64_t before = (sep << 1) | prev_sep;                                                       \
      uint64_t after = sep >> 1;                                                                     \
      if (len - i > 64) {                                                                            \
        after |= (uint64_t)(p[i + 64] == ',' || p[i + 64] == '\n') << 63;                            \
      } else {                                                                                       \
        after |= 1ULL << (len - i - 1); /* the end of the bytes */                                   \
      }                                                                                              \
      if ((quote & inside & ~before) || (quote & ~inside & ~after) || (lf & inside)) return -1;      \
    }                                                                                                \
    prev_sep = sep >> 63;                                                                            \
    uint64_t cm = comma & ~inside;                                                                   \
    for (uint64_t l = lf; l; l &= l - 1) {                                                           \
      int bit = __builtin_ctzll(l);                                                                  \
      uint64_t upto = bit == 63 ? ~0ULL : (1ULL << (bit + 1)) - 1;                                   \
      commas += (size_t)__builtin_popcountll(cm & upto);                                             \
      cm &= ~upto;                                                                                   \
      size_t end = i + (size_t)bit;                                                                  \
      if (commas + 1 != fields ||                                                                    \
          !line_ids(p + line_start, end - line_start, col_a, col_b, out_a + lines, out_b + lines)) { \
        return -1;                                                                                   \
      }                                                                                              \
      lines++;                                                                                       \
      commas = 0;                                                                                    \
      line_start = end + 1;                                                                          \
    }                                                                                                \
    commas += (size_t)__builtin_popcountll(cm);                                                      \
  }                                                                                                  \
  if (in_quote) return -1;                                                                           \
  if (line_start < len) {                                                                            \
    if (commas + 1 != fields ||                                                                      \
        !line_ids(p + line_start, len - line_start, col_a, col_b, out_a + lines, out_b + lines)) {   \
      return -1;                                                                                     \
    }                                                                                                \
    lines++;                                                                                         \
  }                                                                                                  \
  return (long)lines;

static long ids_sse2(const uint8_t *p, size_t len, size_t fields, size_t col_a, size_t col_b, int64_t *out_a,
                     int64_t *out_b) {
  IDS_BODY(SSE2_MASKS)
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bw")))
static long ids_avx512(const uint8_t *p, size_t len, size_t fields, size_t col_a, size_t col_b, int64_t *out_a,
                       int64_t *out_b) {
  IDS_BODY(AVX512_MASKS)
}
#endif

static int scan_level = -1;

#if defined(__x86_64__)
// Whether the AVX-512 scans may run: the processor has AVX-512BW and DECOY_PORTABLE_CSV is unset.
static int avx512_scans(void) {
  int v = __atomic_load_n(&scan_level, __ATOMIC_RELAXED);
  if (v < 0) {
    v = avx512bw() && !getenv("DECOY_PORTABLE_CSV");
    __atomic_store_n(&scan_level, v, __ATOMIC_RELAXED);
  }
  return v;
}
#endif

size_t decoy_csv_structurals_using(int vector, const uint8_t *p, size_t len, uint32_t *idx, int *special) {
#if defined(__x86_64__)
  if (vector && avx512_scans()) return scan_avx512(p, len, idx, special);
#else
  (void)vector;
#endif
  return scan_sse2(p, len, idx, special);
}

size_t decoy_csv_structurals(const uint8_t *p, size_t len, uint32_t *idx, int *special) {
  return decoy_csv_structurals_using(1, p, len, idx, special);
}

long decoy_last_index_of(const uint8_t *p, size_t len, uint8_t byte) {
  while (len > 0) {
    len--;
    if (p[len] == byte) return (long)len;
  }
  return -1;
}

long decoy_csv_block_ids_using(int vector, const uint8_t *p, size_t len, size_t fields, size_t col_a, size_t col_b,
                               int64_t *out_a, int64_t *out_b) {
  if (fields < 2 || col_a >= fields || col_b >= fields) return -1;
#if defined(__x86_64__)
  if (vector && avx512_scans()) return ids_avx512(p, len, fields, col_a, col_b, out_a, out_b);
#else
  (void)vector;
#endif
  return ids_sse2(p, len, fields, col_a, col_b, out_a, out_b);
}

long decoy_csv_block_ids(const uint8_t *p, size_t len, size_t fields, size_t col_a, size_t col_b, int64_t *out_a,
                         int64_t *out_b) {
  return decoy_csv_block_ids_using(1, p, len, fields, col_a, col_b, out_a, out_b);
}
