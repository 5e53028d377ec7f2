/*
 * buf: a growable byte buffer, reused across rows so that hot loops do not
 * allocate.  Invariant: p is NULL only while cap is 0; when p is not NULL,
 * p[len] is a NUL byte, so the contents can be used as a C string.
 */
#ifndef CV_BUF_H
#define CV_BUF_H

#include <stddef.h>
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

static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	if (n > 0)
		memcpy(b->p + b->len, p, n);
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
