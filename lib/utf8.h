/*
 * utf8: checks and counts over UTF-8 text, for the encoding sniffing of
 * exports and for the line-and-column positions of messages about rule
 * files, and the full-width forms that Chinese input methods type.
 * Well-formed means RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF.
 */
#ifndef CV_UTF8_H
#define CV_UTF8_H

#include <stddef.h>

/* Offset of the first byte of s[0..n) that is not well-formed, or n. */
size_t	utf8_bad(const char *s, size_t n);

/* 1 if all of s[0..n) is well-formed. */
static inline int
utf8_valid(const char *s, size_t n)
{
	return utf8_bad(s, n) == n;
}

/* Characters in s[0..n): the bytes that do not continue a character. */
size_t	utf8_len(const char *s, size_t n);

/*
 * s[0..n) with its full-width ASCII forms (U+FF01 to U+FF5E: ＡＢ１２－)
 * as ASCII, into dst (which holds at least n bytes; the text only gets
 * shorter).  Returns the new length.
 */
size_t	utf8_halfwidth(char *dst, const char *s, size_t n);

#endif
