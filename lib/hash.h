/*
 * hash: fast non-cryptographic hashing of byte strings, for the hash
 * tables of the duplicate index and the per-customer tables.  hash64() is
 * a multiply-and-fold hash over 8-byte words; two seeds give the 128-bit
 * key fingerprints that stand in for whole keys where keeping the keys
 * would cost too much memory (the chance that two different keys share a
 * 128-bit fingerprint is about n^2 / 2^129).
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
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = hash_mix(h ^ w, 0xa0761d6478bd642fULL);
		p += 8;
		n -= 8;
	}
	w = 0;
	if (n > 0)
		memcpy(&w, p, n);
	h = hash_mix(h ^ w ^ 0xe7037ed1a0b428dbULL, 0x8ebc6af09c88c6e3ULL);
	return hash_mix(h, 0x589965cc75374cc3ULL) ^ h;
}

/* Combine two hashes (order matters). */
static inline uint64_t
hash_combine(uint64_t a, uint64_t b)
{
	return hash_mix(a ^ 0x1d8e4e27c47d124fULL, b ^ 0x9e3779b97f4a7c15ULL);
}

#endif
