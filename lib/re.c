/*
 * re: a thin layer over PCRE2 (8-bit code units, UTF mode).  JIT is used
 * when the library has it, since rule patterns run once per row.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>

#include "re.h"

struct re {
	pcre2_code		*code;
	pcre2_match_data	*md;
};

struct re *
re_compile(const char *pattern, int flags, struct cv_error *e)
{
	struct re *re;
	int errcode;
	PCRE2_SIZE off;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	PCRE2_UCHAR msg[256];

	if (flags & RE_ICASE)
		opts |= PCRE2_CASELESS;
	if (flags & RE_ANCHOR)
		opts |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
	re = xcalloc(1, sizeof(*re));
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    opts, &errcode, &off, NULL);
	if (re->code == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		free(re);
		cv_fail(e, EX_USAGE, "bad pattern '%s' at offset %zu: %s",
		    pattern, (size_t)off, (char *)msg);
		return NULL;
	}
	(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (re->md == NULL) {
		pcre2_code_free(re->code);
		free(re);
		cv_fail(e, EX_OSERR, "out of memory");
		return NULL;
	}
	return re;
}

int
re_match(struct re *re, const char *s, size_t n)
{
	int rc;

	rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, re->md, NULL);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return -1;
}

void
re_free(struct re *re)
{
	if (re == NULL)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}
