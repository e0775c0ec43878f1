// SHA-256 (FIPS 180-4) for many short messages: a portable C compression function; on x86-64
// processors with the SHA extensions, one that runs two independent blocks interleaved (the
// sha256rnds2 instruction is latency-bound, so two chains in flight nearly double throughput); and
// with AVX-512, sixteen one-block messages at once, one per 32-bit lane (rotates and three-input
// logic are single instructions there, so a round is about sixteen vector operations).
#include "CDecoyKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t H0[8] = {
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress_portable(uint32_t s[8], const uint8_t *block) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++) {
    w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 | (uint32_t)block[4 * t + 2] << 8 | block[4 * t + 3];
  }
  for (int t = 16; t < 64; t++) {
    uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
  for (int t = 0; t < 64; t++) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  s[0] += a; s[1] += b; s[2] += c; s[3] += d; s[4] += e; s[5] += f; s[6] += g; s[7] += h;
}

#if defined(__x86_64__)
// State lives in two registers in the order the instructions want: ABEF and CDGH.
#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

SHA_TARGET static inline void to_abef(const uint32_t s[8], __m128i *abef, __m128i *cdgh) {
  __m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&s[0]), 0xB1);  // CDAB
  __m128i u = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&s[4]), 0x1B);  // EFGH
  *abef = _mm_alignr_epi8(t, u, 8);
  *cdgh = _mm_blend_epi16(u, t, 0xF0);
}

SHA_TARGET static inline void from_abef(__m128i abef, __m128i cdgh, uint32_t s[8]) {
  __m128i t = _mm_shuffle_epi32(abef, 0x1B);   // FEBA
  __m128i u = _mm_shuffle_epi32(cdgh, 0xB1);   // DCHG
  _mm_storeu_si128((__m128i *)&s[0], _mm_blend_epi16(t, u, 0xF0));  // DCBA
  _mm_storeu_si128((__m128i *)&s[4], _mm_alignr_epi8(u, t, 8));     // HGFE
}

// Two independent blocks, one per state; the loop over groups of four rounds is unrolled so the
// two dependency chains interleave.
SHA_TARGET static void compress_ni_x2(uint32_t s1[8], const uint8_t *b1, uint32_t s2[8], const uint8_t *b2) {
  const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i x0, y0, x1, y1;
  to_abef(s1, &x0, &y0);
  to_abef(s2, &x1, &y1);
  const __m128i sx0 = x0, sy0 = y0, sx1 = x1, sy1 = y1;
  __m128i w1[4], w2[4];
#pragma clang loop unroll(full)
  for (int g = 0; g < 16; g++) {
    __m128i m1, m2;
    if (g < 4) {
      m1 = w1[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(b1 + 16 * g)), mask);
      m2 = w2[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(b2 + 16 * g)), mask);
    } else {
      // W[g] = msg2(msg1(W[g-4], W[g-3]) + W[t-7..t-4], W[g-1]).
      __m128i a1 = _mm_sha256msg1_epu32(w1[g & 3], w1[(g + 1) & 3]);
      __m128i a2 = _mm_sha256msg1_epu32(w2[g & 3], w2[(g + 1) & 3]);
      a1 = _mm_add_epi32(a1, _mm_alignr_epi8(w1[(g + 3) & 3], w1[(g + 2) & 3], 4));
      a2 = _mm_add_epi32(a2, _mm_alignr_epi8(w2[(g + 3) & 3], w2[(g + 2) & 3], 4));
      m1 = w1[g & 3] = _mm_sha256msg2_epu32(a1, w1[(g + 3) & 3]);
      m2 = w2[g & 3] = _mm_sha256msg2_epu32(a2, w2[(g + 3) & 3]);
    }
    const __m128i k = _mm_loadu_si128((const __m128i *)&K[4 * g]);
    m1 = _mm_add_epi32(m1, k);
    m2 = _mm_add_epi32(m2, k);
    y0 = _mm_sha256rnds2_epu32(y0, x0, m1);
    y1 = _mm_sha256rnds2_epu32(y1, x1, m2);
    x0 = _mm_sha256rnds2_epu32(x0, y0, _mm_shuffle_epi32(m1, 0x0E));
    x1 = _mm_sha256rnds2_epu32(x1, y1, _mm_shuffle_epi32(m2, 0x0E));
  }
  from_abef(_mm_add_epi32(x0, sx0), _mm_add_epi32(y0, sy0), s1);
  from_abef(_mm_add_epi32(x1, sx1), _mm_add_epi32(y1, sy1), s2);
}

// Sixteen padded one-block messages given as words (w_in[t][j] is word t of message j, as a
// number: the message's four bytes big-endian); returns the first two state words of each digest
// (a and b) in out_a[] and out_b[]. Callers write the words transposed as they build the messages:
// a gather per word, as the first version did, costs more than the few stores of the words a key
// changes.
#define AVX512_TARGET __attribute__((target("avx512f")))
#define S_ROR(x, n) _mm512_ror_epi32((x), (n))
#define S_XOR3(x, y, z) _mm512_ternarylogic_epi32((x), (y), (z), 0x96)
#define S_ROUND(a, b, c, d, e, f, g, h, kw)                                                          \
  do {                                                                                                \
    __m512i t1 = _mm512_add_epi32(_mm512_add_epi32(h, kw),                                            \
      _mm512_add_epi32(S_XOR3(S_ROR(e, 6), S_ROR(e, 11), S_ROR(e, 25)),                               \
                       _mm512_ternarylogic_epi32(e, f, g, 0xCA)));                                     \
    __m512i t2 = _mm512_add_epi32(S_XOR3(S_ROR(a, 2), S_ROR(a, 13), S_ROR(a, 22)),                    \
                                  _mm512_ternarylogic_epi32(a, b, c, 0xE8));                           \
    d = _mm512_add_epi32(d, t1);                                                                      \
    h = _mm512_add_epi32(t1, t2);                                                                     \
  } while (0)

AVX512_TARGET static void compress_avx512_x16(const uint32_t w_in[16][16], uint32_t out_a[16], uint32_t out_b[16]) {
  __m512i w[16];
  for (int t = 0; t < 16; t++) w[t] = _mm512_loadu_si512((const void *)w_in[t]);
  __m512i a = _mm512_set1_epi32((int)H0[0]), b = _mm512_set1_epi32((int)H0[1]), c = _mm512_set1_epi32((int)H0[2]),
          d = _mm512_set1_epi32((int)H0[3]), e = _mm512_set1_epi32((int)H0[4]), f = _mm512_set1_epi32((int)H0[5]),
          g = _mm512_set1_epi32((int)H0[6]), h = _mm512_set1_epi32((int)H0[7]);
#pragma clang loop unroll(full)
  for (int r = 0; r < 64; r += 8) {
    __m512i kw[8];
    for (int j = 0; j < 8; j++) {
      int t = r + j;
      if (t >= 16) {
        __m512i x = w[(t - 15) & 15], y = w[(t - 2) & 15];
        __m512i s0 = S_XOR3(S_ROR(x, 7), S_ROR(x, 18), _mm512_srli_epi32(x, 3));
        __m512i s1 = S_XOR3(S_ROR(y, 17), S_ROR(y, 19), _mm512_srli_epi32(y, 10));
        w[t & 15] = _mm512_add_epi32(_mm512_add_epi32(w[t & 15], s0), _mm512_add_epi32(w[(t - 7) & 15], s1));
      }
      kw[j] = _mm512_add_epi32(w[t & 15], _mm512_set1_epi32((int)K[t]));
    }
    S_ROUND(a, b, c, d, e, f, g, h, kw[0]);
    S_ROUND(h, a, b, c, d, e, f, g, kw[1]);
    S_ROUND(g, h, a, b, c, d, e, f, kw[2]);
    S_ROUND(f, g, h, a, b, c, d, e, kw[3]);
    S_ROUND(e, f, g, h, a, b, c, d, kw[4]);
    S_ROUND(d, e, f, g, h, a, b, c, kw[5]);
    S_ROUND(c, d, e, f, g, h, a, b, kw[6]);
    S_ROUND(b, c, d, e, f, g, h, a, kw[7]);
  }
  _mm512_storeu_si512((void *)out_a, _mm512_add_epi32(a, _mm512_set1_epi32((int)H0[0])));
  _mm512_storeu_si512((void *)out_b, _mm512_add_epi32(b, _mm512_set1_epi32((int)H0[1])));
}

static int detect_sha(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  if (!(b & (1u << 29))) return 0;                       // SHA
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  return (c & (1u << 19)) && (c & (1u << 9));            // SSE4.1, SSSE3
}
#endif

#if defined(__x86_64__)
static int detect_avx512(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;  // OSXSAVE
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0xE6) != 0xE6) return 0;                                     // SSE, AVX and AVX-512 state enabled
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return (b & (1u << 16)) != 0;                                          // AVX512F
}
#endif

// What the processor supports: 2 = AVX-512 sixteen lanes (with the SHA extensions for what does
// not fit one block, or portable C), 1 = the SHA extensions, 0 = portable C.
static int supported_level(void) {
#if defined(__x86_64__)
  if (getenv("DECOY_PORTABLE_SHA256")) return 0;
  if (detect_avx512()) return 2;
  return detect_sha();
#else
  return 0;
#endif
}

static int level = -1;
static int has_sha_ni = -1;

int decoy_sha256_accelerated(void) {
  int v = __atomic_load_n(&level, __ATOMIC_RELAXED);
  if (v < 0) {
    v = supported_level();
    __atomic_store_n(&level, v, __ATOMIC_RELAXED);
  }
  return v;
}

static int sha_ni(void) {
  int v = __atomic_load_n(&has_sha_ni, __ATOMIC_RELAXED);
  if (v < 0) {
#if defined(__x86_64__)
    v = detect_sha() && !getenv("DECOY_PORTABLE_SHA256");
#else
    v = 0;
#endif
    __atomic_store_n(&has_sha_ni, v, __ATOMIC_RELAXED);
  }
  return v;
}

int decoy_sha256_set_level(int wanted) {
  int supported = supported_level();
  int v = wanted < supported ? wanted : supported;
  if (v < 0) v = 0;
  __atomic_store_n(&level, v, __ATOMIC_RELAXED);
  return v;
}

// Pads the last `len` bytes of a message of `total` bytes (already in `buf`, which has room for
// len + 72 bytes) in place; returns the number of 64-byte blocks.
static size_t pad(uint8_t *buf, size_t len, uint64_t total) {
  size_t blocks = (len + 8) / 64 + 1;
  size_t end = blocks * 64;
  buf[len] = 0x80;
  memset(buf + len + 1, 0, end - len - 1);
  uint64_t bits = total * 8;
  for (int i = 0; i < 8; i++) buf[end - 1 - i] = (uint8_t)(bits >> (8 * i));
  return blocks;
}

static uint64_t prefix_of(const uint32_t s[8]) { return (uint64_t)s[0] << 32 | s[1]; }

// The state after hashing msg[0..<len], padding included.
static void sha256_state(const uint8_t *msg, size_t len, uint32_t s[8]) {
  memcpy(s, H0, sizeof H0);
  size_t full = len / 64;
  for (size_t i = 0; i < full; i++) compress_portable(s, msg + 64 * i);
  uint8_t tail[128];
  size_t rest = len - 64 * full;
  memcpy(tail, msg + 64 * full, rest);
  size_t blocks = pad(tail, rest, len);
  for (size_t i = 0; i < blocks; i++) compress_portable(s, tail + 64 * i);
}

uint64_t decoy_sha256_prefix64(const uint8_t *msg, size_t len) {
  uint32_t s[8];
  sha256_state(msg, len, s);
  return prefix_of(s);
}

void decoy_sha256_digest(const uint8_t *msg, size_t len, uint8_t out[32]) {
  uint32_t s[8];
  sha256_state(msg, len, s);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(s[i] >> 24);
    out[4 * i + 1] = (uint8_t)(s[i] >> 16);
    out[4 * i + 2] = (uint8_t)(s[i] >> 8);
    out[4 * i + 3] = (uint8_t)s[i];
  }
}

// The big-endian 32-bit number at p.
static inline uint32_t be32(const uint8_t *p) {
  uint32_t x;
  memcpy(&x, p, 4);
  return __builtin_bswap32(x);
}

static const uint64_t POW10[20] = {
  1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL,
  10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL, 100000000000000ULL, 1000000000000000ULL,
  10000000000000000ULL, 100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL,
};

static const char DIGIT_PAIRS[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

// Decimal text of v at p; returns the length.
static size_t put_int(uint8_t *p, int64_t v) {
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  size_t k = 0;
  if (v < 0) p[k++] = '-';
  size_t digits = 1;
  while (digits < 20 && u >= POW10[digits]) digits++;
  uint8_t *e = p + k + digits;
  while (u >= 100) {
    uint64_t q = u / 100;
    e -= 2;
    memcpy(e, DIGIT_PAIRS + 2 * (u - q * 100), 2);
    u = q;
  }
  if (u >= 10) {
    e -= 2;
    memcpy(e, DIGIT_PAIRS + 2 * u, 2);
  } else {
    *--e = (uint8_t)('0' + u);
  }
  return k + digits;
}

// Adds `add` (below 100) to the decimal number in d[0..<n] (digits only, no sign); false when the
// sum needs another digit (d is then partly changed: the caller writes the number again). After
// the last two digits only a carry of one moves on: no division in the loop.
static inline int add_to_digits(uint8_t *d, size_t n, unsigned add) {
  if (n < 2) return 0;
  unsigned v = (unsigned)(d[n - 1] - '0') + add % 10;
  unsigned carry = add / 10 + (v >= 10);
  d[n - 1] = (uint8_t)('0' + (v >= 10 ? v - 10 : v));
  v = (unsigned)(d[n - 2] - '0') + carry;
  carry = v >= 10;
  d[n - 2] = (uint8_t)('0' + (v >= 10 ? v - 10 : v));
  for (size_t k = n - 2; carry; ) {
    if (k == 0) return 0;
    k--;
    v = (unsigned)(d[k] - '0') + 1;
    carry = v == 10;
    d[k] = (uint8_t)(carry ? '0' : '0' + v);
  }
  return 1;
}

// Key i of a keyed batch written after the prefix already in buf; returns the message length.
static size_t keyed_text(uint8_t *buf, size_t prefix_len, const int64_t *a, const int64_t *b, size_t i) {
  size_t len = prefix_len;
  len += put_int(buf + len, a[i]);
  if (b) {
    buf[len++] = '|';
    len += put_int(buf + len, b[i]);
  }
  return len;
}

// Message i of a keyed batch, padded, into buf; returns the block count.
static size_t keyed_message(uint8_t *buf, size_t prefix_len, const int64_t *a, const int64_t *b, size_t i) {
  size_t len = keyed_text(buf, prefix_len, a, b, i);
  return pad(buf, len, len);
}

void decoy_sha256_keyed_prefix64(const uint8_t *prefix, size_t prefix_len, const int64_t *a, const int64_t *b,
                                 size_t n, uint64_t *out) {
  size_t cap = prefix_len + 42 + 72;
  uint8_t *m1 = malloc(2 * cap);
  if (!m1) abort();
  uint8_t *m2 = m1 + cap;
  memcpy(m1, prefix, prefix_len);
  memcpy(m2, prefix, prefix_len);
  size_t i = 0;
#if defined(__x86_64__)
  int lvl = decoy_sha256_accelerated();
  if (lvl >= 2 && prefix_len + 20 + (b ? 21 : 0) <= 55) {
    // Every message fits one block: sixteen at a time, one per lane. Each lane keeps its message
    // in its own buffer (with the prefix; only the bytes after it are rewritten, zeros up to the
    // lane's previous end). All sixteen are written first, then their words are stored transposed
    // into w: a word read back right after its bytes were stored one by one would wait for the
    // stores to reach the cache. Words inside the prefix are the same in every message and stored
    // once; of the others, a lane rewrites only those its previous or current key reached, and
    // the length word.
    uint32_t w[16][16];
    uint32_t ha[16], hb[16];
    uint8_t mb[16][64];
    size_t len[16], end_of[16];  // per lane: message length; one past its 0x80 byte
    const size_t t0 = prefix_len / 4;
    size_t dirty[16];  // per lane: words t0..<dirty[j] may hold key bytes
    for (int j = 0; j < 16; j++) {
      memcpy(mb[j], prefix, prefix_len);
      memset(mb[j] + prefix_len, 0, 64 - prefix_len);
      end_of[j] = prefix_len;
      dirty[j] = t0;
    }
    for (size_t t = 0; t < 16; t++) {
      uint32_t x = be32(mb[0] + 4 * t);
      for (int j = 0; j < 16; j++) w[t][j] = x;
    }
    for (; i + 16 <= n; i += 16) {
      for (int j = 0; j < 16; j++) {
        size_t k = i + (size_t)j;
        uint8_t *m = mb[j];
        // Keys often run consecutively (billing ids 1, 2, 3, …): then the lane's previous key,
        // sixteen back, is counted up by sixteen in place, and the padding stays where it is.
        if (!b && i > 0 && a[k - 16] >= 0 && a[k - 16] <= INT64_MAX - 16 && a[k] == a[k - 16] + 16 &&
            add_to_digits(m + prefix_len, len[j] - prefix_len, 16)) {
          continue;
        }
        size_t l = keyed_text(m, prefix_len, a, b, k);
        // pad() in place, knowing the buffer is zero past the lane's previous end and l < 56.
        m[l] = 0x80;
        for (size_t q = l + 1; q < end_of[j]; q++) m[q] = 0;
        end_of[j] = l + 1;
        m[62] = (uint8_t)(l >> 5);
        m[63] = (uint8_t)(l << 3);
        len[j] = l;
      }
      for (int j = 0; j < 16; j++) {
        size_t end = len[j] / 4 + 1;  // the words up to the 0x80 byte
        size_t upto = end > dirty[j] ? end : dirty[j];
        for (size_t t = t0; t < upto; t++) w[t][j] = be32(mb[j] + 4 * t);
        w[15][j] = be32(mb[j] + 60);
        dirty[j] = end;
      }
      compress_avx512_x16((const uint32_t(*)[16])w, ha, hb);
      for (int j = 0; j < 16; j++) out[i + (size_t)j] = (uint64_t)ha[j] << 32 | hb[j];
    }
  }
  if (lvl >= 1 && sha_ni()) {
    for (; i + 1 < n; i += 2) {
      size_t k1 = keyed_message(m1, prefix_len, a, b, i);
      size_t k2 = keyed_message(m2, prefix_len, a, b, i + 1);
      uint32_t s1[8], s2[8];
      memcpy(s1, H0, sizeof s1);
      memcpy(s2, H0, sizeof s2);
      size_t common = k1 < k2 ? k1 : k2;
      for (size_t j = 0; j < common; j++) compress_ni_x2(s1, m1 + 64 * j, s2, m2 + 64 * j);
      // Rare: one message has more blocks than the other.
      for (size_t j = common; j < k1; j++) compress_portable(s1, m1 + 64 * j);
      for (size_t j = common; j < k2; j++) compress_portable(s2, m2 + 64 * j);
      out[i] = prefix_of(s1);
      out[i + 1] = prefix_of(s2);
    }
  }
#endif
  for (; i < n; i++) {
    size_t k = keyed_message(m1, prefix_len, a, b, i);
    uint32_t s[8];
    memcpy(s, H0, sizeof s);
    for (size_t j = 0; j < k; j++) compress_portable(s, m1 + 64 * j);
    out[i] = prefix_of(s);
  }
  free(m1);
}
