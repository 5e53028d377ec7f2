/* profile: member profiles put together field by field (profile.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "diag.h"
#include "profile.h"

void
profile_merge(struct buf *out, const char *a, size_t an, const char *b,
    size_t bn)
{
	const char *ae = a + an, *be = b + bn, *at, *bt;
	size_t fa = 1, fb = 1, i;

	buf_reset(out);
	for (i = 0; i < an; i++)
		fa += a[i] == '\t';
	for (i = 0; i < bn; i++)
		fb += b[i] == '\t';
	if (fa != fb) {
		buf_add(out, b, bn);
		return;
	}
	for (;;) {
		if ((at = memchr(a, '\t', (size_t)(ae - a))) == NULL)
			at = ae;
		if ((bt = memchr(b, '\t', (size_t)(be - b))) == NULL)
			bt = be;
		if (bt > b)
			buf_add(out, b, (size_t)(bt - b));
		else
			buf_add(out, a, (size_t)(at - a));
		if (bt == be)
			break;
		buf_addc(out, '\t');
		a = at + 1;
		b = bt + 1;
	}
}

void
profiles_init(struct profiles *p)
{
	memset(p, 0, sizeof(*p));
}

void
profiles_free(struct profiles *p)
{
	buf_free(&p->data);
	buf_free(&p->tmp);
	free(p->off);
	free(p->len);
	free(p->hash);
	free(p->taken);
	free(p->ht);
	memset(p, 0, sizeof(*p));
}

static size_t
key_len(const char *line, size_t n)
{
	const char *t = memchr(line, '\t', n);

	return t != NULL ? (size_t)(t - line) : n;
}

/* The entry of the line's member, or -1; *slot the table slot for it. */
static long
find(const struct profiles *p, const char *line, size_t n, uint64_t h,
    size_t *slot)
{
	size_t k = key_len(line, n), j;

	if (p->htcap == 0)
		return -1;
	for (j = h & (p->htcap - 1); p->ht[j] != 0; j = (j + 1) &
	    (p->htcap - 1)) {
		size_t i = p->ht[j] - 1;
		const char *q = p->data.p + p->off[i];

		if (p->hash[i] == h && key_len(q, p->len[i]) == k &&
		    memcmp(q, line, k) == 0) {
			*slot = j;
			return (long)i;
		}
	}
	*slot = j;
	return -1;
}

static void
grow(struct profiles *p)
{
	size_t i, j, ncap = p->htcap ? p->htcap * 2 : 1024;
	uint32_t *ht = xcalloc(ncap, sizeof(*ht));

	for (i = 0; i < p->n; i++) {
		for (j = p->hash[i] & (ncap - 1); ht[j] != 0; j = (j + 1) &
		    (ncap - 1))
			;
		ht[j] = (uint32_t)(i + 1);
	}
	free(p->ht);
	p->ht = ht;
	p->htcap = ncap;
}

void
profiles_hold(struct profiles *p, const char *line, size_t n)
{
	uint64_t h = hash64(line, key_len(line, n), 0x70726f66696c65ULL);
	size_t slot;
	long i;

	if ((p->n + 1) * 2 > p->htcap)
		grow(p);
	if ((i = find(p, line, n, h, &slot)) >= 0) {
		if (!p->taken[i]) {
			profile_merge(&p->tmp, p->data.p + p->off[i],
			    p->len[i], line, n);
			line = p->tmp.p;
			n = p->tmp.len;
		}
		/*
		 * The text it replaces stays unused: a member's profiles
		 * are few (held are only those a later one superseded).
		 */
		p->off[i] = p->data.len;
		p->len[i] = n;
		p->taken[i] = 0;
		buf_add(&p->data, line, n);
		return;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->off = xreallocarray(p->off, p->cap, sizeof(*p->off));
		p->len = xreallocarray(p->len, p->cap, sizeof(*p->len));
		p->hash = xreallocarray(p->hash, p->cap, sizeof(*p->hash));
		p->taken = xreallocarray(p->taken, p->cap, 1);
	}
	p->off[p->n] = p->data.len;
	p->len[p->n] = n;
	p->hash[p->n] = h;
	p->taken[p->n] = 0;
	buf_add(&p->data, line, n);
	p->ht[slot] = (uint32_t)(++p->n);
}

int
profiles_take(struct profiles *p, const char *line, size_t n,
    struct buf *out)
{
	uint64_t h;
	size_t slot;
	long i;

	if (p->n == 0)
		return 0;
	h = hash64(line, key_len(line, n), 0x70726f66696c65ULL);
	if ((i = find(p, line, n, h, &slot)) < 0 || p->taken[i])
		return 0;
	profile_merge(out, p->data.p + p->off[i], p->len[i], line, n);
	p->taken[i] = 1;
	return 1;
}
