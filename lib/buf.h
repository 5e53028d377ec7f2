/*
 * buf: a growable byte buffer, reused across rows so that hot loops do not
 * allocate.  Invariant: p is NULL only while cap is 0; when p is not NULL,
 * p[len] is a NUL byte, so the contents can be used as a C string.
 */
#ifndef CV_BUF_H
#define CV_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* Make room for n more bytes (plus the NUL); exits 71 when memory runs out. */
void	buf_grow(struct buf *b, size_t n);
void	buf_adds(struct buf *b, const char *s);
void	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_free(struct buf *b);

static inline void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

/*
 * memcpy(d, s, n) for the short values that rows are made of, without a
 * call: two overlapping loads and stores cover any length up to 16.  As
 * with memcpy(), d and s must not overlap.
 */
static inline void
buf_copy(char *d, const char *s, size_t n)
{
	uint64_t a, b;
	uint32_t x, y;

	if (n > 16)
		memcpy(d, s, n);
	else if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else if (n > 0) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	buf_copy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void
buf_addc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

#endif
