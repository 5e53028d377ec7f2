/*
 * re: PCRE2 patterns, compiled once and matched many times with one
 * match-data block per pattern (no allocation per match).  Patterns are
 * UTF-8; a pattern that does not compile is reported with its offset.
 */
#ifndef CV_RE_H
#define CV_RE_H

#include <stddef.h>

#include "diag.h"

struct re;

enum {
	RE_ICASE = 1,		/* case-insensitive */
	RE_ANCHOR = 2		/* the whole subject must match */
};

/*
 * Compile pattern.  Returns NULL on error with e filled (EX_USAGE): the
 * message names the pattern and the offset of the problem.
 */
struct re *re_compile(const char *pattern, int flags, struct cv_error *e);
/* 1 if s[0..n) matches, 0 if not, -1 on a matching error (for example a
 * match limit reached, or invalid UTF-8 in the subject). */
int	re_match(struct re *re, const char *s, size_t n);
void	re_free(struct re *re);

#endif
