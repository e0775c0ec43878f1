#ifndef CDECOY_KERNELS_H
#define CDECOY_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Which SHA-256 implementation the batch functions use: 2 = AVX-512 sixteen lanes, 1 = the x86
/// SHA extensions, 0 = portable C.
int decoy_sha256_accelerated(void);

/// Tests: use at most implementation `level` (as above), capped at what the processor supports;
/// returns the level now in use.
int decoy_sha256_set_level(int level);

/// The first 64 bits (big-endian) of SHA-256 over `msg[0..<len]`.
uint64_t decoy_sha256_prefix64(const uint8_t *msg, size_t len);

/// The SHA-256 digest of `msg[0..<len]` into out[0..<32].
void decoy_sha256_digest(const uint8_t *msg, size_t len, uint8_t *out);

/// For each i < n: the first 64 bits of SHA-256 over `prefix` followed by the decimal text of a[i],
/// and, when `b` is not NULL, "|" and the decimal text of b[i]. The keyed hashes of the claims-breach
/// enrichment ("<seed>|<salt>|<key>") in one call, two messages at a time through the SHA extensions.
void decoy_sha256_keyed_prefix64(const uint8_t *prefix, size_t prefix_len, const int64_t *a, const int64_t *b,
                                 size_t n, uint64_t *out);

/// Offsets of every ',' and '\n' outside double quotes in `p[0..<len]` (len < 2^31), in order, into
/// `idx` (room for `len + 8` entries: blocks without quotes are written eight entries at a time);
/// returns how many. A line feed's entry has bit 31 set when its line
/// holds a quote. Sets *special to 1 when the bytes hold a CR, a line feed inside quotes, or end
/// inside quotes (the caller then needs a full RFC 4180 reader), and leaves it alone otherwise.
size_t decoy_csv_structurals(const uint8_t *p, size_t len, uint32_t *idx, int *special);

/// Tests: `decoy_csv_structurals` with the AVX-512 scan (`vector` = 1, when the processor has it) or
/// the SSE2 one (0).
size_t decoy_csv_structurals_using(int vector, const uint8_t *p, size_t len, uint32_t *idx, int *special);

/// The integers in fields `col_a` and `col_b` of every line of `p[0..<len]` (whole lines; a last
/// line without a line feed counts), into out_a and out_b (room for len / fields + 1 each), found
/// without listing the lines' commas. Returns the number of lines, or -1 when a line needs the
/// full reader: a CR, a quote that does not wrap a whole field, a line feed inside quotes, a line
/// without `fields` fields (fields ≥ 2), an id field with a quote, or one that is not a plain
/// integer ([+-]digits, no overflow).
long decoy_csv_block_ids(const uint8_t *p, size_t len, size_t fields, size_t col_a, size_t col_b, int64_t *out_a,
                         int64_t *out_b);

/// Tests: `decoy_csv_block_ids` with AVX-512 (`vector` = 1, when the processor has it) or SSE2 (0).
long decoy_csv_block_ids_using(int vector, const uint8_t *p, size_t len, size_t fields, size_t col_a, size_t col_b,
                               int64_t *out_a, int64_t *out_b);

/// The offset of the last `byte` in `p[0..<len]`, or -1.
long decoy_last_index_of(const uint8_t *p, size_t len, uint8_t byte);

/// CPython's `random.Random(seed)` state for `count` seeds (each below 2^64) after seeding, and its
/// first `outputs` tempered 32-bit outputs (outputs <= 227), written to out[k * outputs + j].
void decoy_mt19937_python_outputs(const uint64_t *seeds, size_t count, uint32_t *out, size_t outputs);

/// Keeps freed memory in the process for reuse instead of returning it to the kernel (glibc:
/// allocations of any size from the heap, no trimming): a short run that frees and allocates
/// large buffers then pays for fresh zeroed pages once. No-op elsewhere.
void decoy_malloc_keep_freed_memory(void);

#endif
