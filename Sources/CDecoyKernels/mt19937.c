// CPython's Mersenne Twister seeding (init_by_array over the seed's 32-bit words) for many seeds
// at once. Each seeding is a chain of ~1,250 dependent multiply steps; running sixteen seeds side by
// side in vector lanes hides that latency. The state after init_genrand(19650218) does not depend on
// the seed and is computed once.
#include "CDecoyKernels.h"

#include <stdlib.h>
#include <string.h>

#define N 624
#define M 397
#define LANES 16

static uint32_t base[N];
static int base_ready = 0;

static void init_base(void) {
  if (__atomic_load_n(&base_ready, __ATOMIC_ACQUIRE)) return;
  uint32_t b[N];
  b[0] = 19650218u;
  for (int i = 1; i < N; i++) b[i] = 1812433253u * (b[i - 1] ^ (b[i - 1] >> 30)) + (uint32_t)i;
  memcpy(base, b, sizeof b);  // Same bytes from every thread: a benign race at worst.
  __atomic_store_n(&base_ready, 1, __ATOMIC_RELEASE);
}

static inline uint32_t temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

// Seeds up to LANES generators (state lane-major: mt[i][lane]) and writes their first `outputs` outputs.
__attribute__((target_clones("avx512f", "avx2", "default")))
static void seed_group(uint32_t (*mt)[LANES], const uint64_t *seeds, size_t lanes, uint32_t *out, size_t outputs) {
  uint32_t k0[LANES], k1[LANES], klen[LANES];
  for (int l = 0; l < LANES; l++) {
    uint64_t s = (size_t)l < lanes ? seeds[l] : 0;
    k0[l] = (uint32_t)s;
    k1[l] = (uint32_t)(s >> 32);
    klen[l] = (s >> 32) ? 2 : 1;
  }
  for (int i = 0; i < N; i++)
    for (int l = 0; l < LANES; l++) mt[i][l] = base[i];
  // init_by_array: max(N, key length) = N steps; j cycles over the key words.
  int i = 1;
  uint32_t j[LANES];
  for (int l = 0; l < LANES; l++) j[l] = 0;
  for (int step = 0; step < N; step++) {
    for (int l = 0; l < LANES; l++) {
      uint32_t prev = mt[i - 1][l];
      uint32_t key = j[l] == 0 ? k0[l] : k1[l];
      mt[i][l] = (mt[i][l] ^ ((prev ^ (prev >> 30)) * 1664525u)) + key + j[l];
      j[l] = j[l] + 1 >= klen[l] ? 0 : j[l] + 1;
    }
    i++;
    if (i >= N) {
      for (int l = 0; l < LANES; l++) mt[0][l] = mt[N - 1][l];
      i = 1;
    }
  }
  for (int step = 0; step < N - 1; step++) {
    for (int l = 0; l < LANES; l++) {
      uint32_t prev = mt[i - 1][l];
      mt[i][l] = (mt[i][l] ^ ((prev ^ (prev >> 30)) * 1566083941u)) - (uint32_t)i;
    }
    i++;
    if (i >= N) {
      for (int l = 0; l < LANES; l++) mt[0][l] = mt[N - 1][l];
      i = 1;
    }
  }
  for (int l = 0; l < LANES; l++) mt[0][l] = 0x80000000u;
  // The first outputs of the next generation: word k needs old words k, k + 1 and k + M, all
  // untouched while k < N - M.
  for (size_t k = 0; k < outputs; k++) {
    for (int l = 0; l < LANES; l++) {
      uint32_t y = (mt[k][l] & 0x80000000u) | (mt[k + 1][l] & 0x7fffffffu);
      uint32_t v = mt[k + M][l] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
      if ((size_t)l < lanes) out[(size_t)l * outputs + k] = temper(v);
    }
  }
}

void decoy_mt19937_python_outputs(const uint64_t *seeds, size_t count, uint32_t *out, size_t outputs) {
  if (outputs > N - M) abort();  // later outputs need the full twist
  init_base();
  uint32_t mt[N][LANES];
  for (size_t g = 0; g < count; g += LANES) {
    size_t lanes = count - g < LANES ? count - g : LANES;
    seed_group(mt, seeds + g, lanes, out + g * outputs, outputs);
  }
}
