/*
 * utf8: checks and counts over UTF-8 text, for the encoding sniffing of
 * exports and for the line-and-column positions of messages about rule
 * files.  Well-formed means RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF.
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

#endif
