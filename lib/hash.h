/*
 * hash: fast non-cryptographic hashing of byte strings, for the hash
 * tables of the duplicate index and the per-customer tables.  hash64() is
 * a multiply-and-fold hash over 8-byte words; two seeds give the wide
 * key fingerprints that stand in for whole keys where keeping the keys
 * would cost too much memory (the chance that two of n different keys
 * share a b-bit fingerprint is about n^2 / 2^(b+1): for the 96 bits of
 * the duplicate index and 10 million lines, under 10^-15).
 */
#ifndef CV_HASH_H
#define CV_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

__extension__ typedef unsigned __int128 hash_u128;

static inline uint64_t
hash_mix(uint64_t a, uint64_t b)
{
	hash_u128 r = (hash_u128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
hash64(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (0x9e3779b97f4a7c15ULL * (n + 1));
	uint64_t w, v;
	size_t len = n;
	uint32_t a, b;

	while (n > 8) {
		memcpy(&w, p, 8);
		h = hash_mix(h ^ w, 0xa0761d6478bd642fULL);
		p += 8;
		n -= 8;
	}
	/*
	 * The last 1 to 8 bytes, read without a byte loop: the last eight of
	 * the string when it is that long (they may overlap bytes already
	 * hashed), else two overlapping halves.
	 */
	if (len >= 8) {
		memcpy(&w, p + n - 8, 8);
	} else if (n >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w = (uint64_t)a | (uint64_t)b << 32;
	} else if (n > 0) {
		w = (uint64_t)p[0] | (uint64_t)p[n / 2] << 8 |
		    (uint64_t)p[n - 1] << 16;
	} else
		w = 0;
	v = hash_mix(h ^ w ^ 0xe7037ed1a0b428dbULL, 0x8ebc6af09c88c6e3ULL);
	return hash_mix(v, 0x589965cc75374cc3ULL) ^ v;
}

/* Combine two hashes (order matters). */
static inline uint64_t
hash_combine(uint64_t a, uint64_t b)
{
	return hash_mix(a ^ 0x1d8e4e27c47d124fULL, b ^ 0x9e3779b97f4a7c15ULL);
}

#endif
