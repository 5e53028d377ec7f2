/*
 * rules: the rule files of cv-segment.  A rule file is an ordered list of
 * segments, one rule a line:
 *
 *   # customers by value (the first rule that matches wins)
 *   高价值:  grade = 'A' and p_alive >= 0.7
 *   at_risk: (grade in ('A', 'B')
 *             and days_since(last_date) > 60)   # goes on while '(' is open
 *   lapsed:  days_since(last_date) > 180 or last_date is empty
 *   other:   *
 *
 * Each rule is `name: expression` (the language of expr.h).  The name is
 * everything before the first ':' with blanks trimmed; it may be any
 * UTF-8 text without ':' or '#' (Chinese names are fine) and is the value
 * cv-segment writes.  "#" starts a comment, outside quotes; blank and
 * comment-only lines are skipped; a UTF-8 byte order mark and CR before
 * LF are ignored.
 *
 * Continuation: a rule goes on over the next lines for as long as a
 * parenthesis is open, so a long condition is written inside ( ... ).
 * Nothing else continues a line (a trailing "and" does not), and a line
 * holding a ':' outside quotes is always a new rule: an unclosed '(' is
 * reported there rather than swallowing the rules after it.
 *
 * Catch-all: `name: *` or `name: true` matches every row.  It may only be
 * the last rule (a rule after it could never match, which is an error).
 *
 * The same name may head several rules: that is how one segment is
 * reached by different conditions; each rule keeps its own line for
 * --explain.  A file without rules is an error.
 *
 * Errors (EX_USAGE, or EX_NOINPUT/EX_IOERR when the file cannot be read)
 * come as a struct expr_error with the line and column in the file; print
 * them with expr_warn(path, &err).
 */
#ifndef CV_RULES_H
#define CV_RULES_H

#include <stddef.h>

#include "expr.h"
#include "tsv.h"

struct rule {
	char		*name;		/* the segment name, NUL-terminated */
	char		*src;		/* the expression as one line: its
					   lines trimmed and joined by a
					   blank, comments dropped (for
					   --explain) */
	long		 line;		/* line of the file where it starts */
	int		 catchall;	/* written `*` or `true` */
	struct expr	*expr;
};

/* Read-only for callers. */
struct rules {
	struct rule	*v;
	int		 n;
};

/*
 * Parse text[0..len) (a whole rule file) and compile each rule against the
 * stream's columns cols[0..ncol).  Returns the rules, to be freed with
 * rules_free(), or NULL with err filled.
 */
struct rules *rules_parse(const char *text, size_t len,
	    const char *const *cols, int ncol, struct expr_error *err);

/* The same for the file at path. */
struct rules *rules_load(const char *path, const char *const *cols, int ncol,
	    struct expr_error *err);

/*
 * Read the file at path whole: *text (NUL-terminated, to be freed) and
 * *len.  Returns 0, or -1 with err (EX_NOINPUT, EX_IOERR) and no line.
 */
int	rules_read(const char *path, char **text, size_t *len,
	    struct expr_error *err);

/*
 * Check text[0..len) for the errors that do not depend on the stream's
 * header (everything but unknown columns, and an unknown function that
 * a header could make a column), so that they are told before the input
 * is read.  Returns 0, or -1 with err filled as rules_parse() would fill
 * it.  rules_parse() with the header finds the rest.
 */
int	rules_check(const char *text, size_t len, struct expr_error *err);

/*
 * Index of the first rule whose condition is true for row, or -1 when
 * none is (unknown counts as not matching).  rs->v[i] then gives its
 * name, source text and line.
 */
int	rules_match(struct rules *rs, const struct tsv_field *row,
	    const struct expr_ctx *ctx);

/* 1 if the last rule is a catch-all, so that rules_match() never fails. */
int	rules_has_catchall(const struct rules *rs);

/* 1 if any rule needs the as-of date (see expr_uses_asof()). */
int	rules_use_asof(const struct rules *rs);

void	rules_free(struct rules *rs);

#endif
