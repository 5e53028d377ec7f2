/*
 * expr: the small rule language shared by cv-segment rules, cv-invite-list
 * --where and cv-report filters.  An expression is compiled once against
 * the header of a cv stream and then evaluated over each row.
 *
 * Grammar (keywords and function names are not case-sensitive; column
 * names are):
 *
 *   expr     = and { "or" and } ;
 *   and      = not { "and" not } ;
 *   not      = "not" not | cmp ;
 *   cmp      = sum [ cmpop sum
 *                  | [ "not" ] "in" "(" sum { "," sum } ")"
 *                  | [ "not" ] "between" sum "and" sum
 *                  | "is" [ "not" ] "empty"
 *                  | ( "~" | "!~" ) string ] ;
 *   cmpop    = "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=" ;
 *   sum      = prod { ( "+" | "-" ) prod } ;
 *   prod     = unary { ( "*" | "/" | "%" ) unary } ;
 *   unary    = "-" unary | primary ;
 *   primary  = number | string | date | "true" | "false"
 *            | name "(" [ expr { "," expr } ] ")"
 *            | column | "(" expr ")" ;
 *   column   = name | "`" any text "`" ;
 *   name     = [A-Za-z_][A-Za-z0-9_]* ;
 *   number   = [0-9]+ [ "." [0-9]+ ] ;      at most 18 digits
 *   date     = YYYY "-" MM "-" DD ;         no blanks inside: 2026-11-21
 *   string   = "'" ... "'" | '"' ... '"' ;  on one line
 *
 * Blanks and line ends separate tokens; "#" starts a comment that runs to
 * the end of the line.  In strings and `names`, \' \" \` and \\ stand for
 * the character after the backslash; any other backslash is kept as it is,
 * so a pattern such as '\d{11}' needs no doubling.  Comparisons do not
 * chain (a < b < c is an error).  A bare date is a date literal only when
 * it has the digits-digits-digits shape; write 10 - 3 - 2 with blanks.
 * Non-ASCII column names go in backquotes: `金额` > 100.
 *
 * Values.  A value is missing, a number, a date, text or (for conditions)
 * true/false.  Numbers are exact decimals (a 64-bit coefficient and 0..18
 * places), so 0.1 + 0.2 = 0.3 and 1000.00 = 1000 hold.  Dates are days.
 *
 * Typing.  A literal has the type it is written as.  A column value is
 * text whose type is settled by what it meets:
 *   - compared with a number, it is read as a number (-?[0-9]+(.[0-9]+)?);
 *   - compared with a date, it is read as YYYY-MM-DD, or as a timestamp
 *     YYYY-MM-DDTHH:MM:SS which counts as its day;
 *   - compared with a quoted string, it is compared as bytes, so
 *     customer_id = '00123' is exact and monetary > '1000' compares text;
 *   - compared with another column value (or a function's text result),
 *     both are compared as numbers when both look like numbers, otherwise
 *     as bytes;
 *   - in arithmetic and in functions it is read as a number, or else as a
 *     date, as the operation needs.
 * A value that cannot be read as the type the operation needs counts as
 * missing.  Byte order is UTF-8 code point order; the locale never
 * matters.  Mixing types that can never meet (a number with a date, text
 * with arithmetic, a condition with a value) is a compile error.
 *
 * Arithmetic: + - * / % on numbers; date + days, date - days, days + date
 * give a date, date - date gives days.  A sum keeps the larger number of
 * places, a product the sum of the places (at most 18); a quotient is
 * rounded half away from zero to 6 more places than its operands have (at
 * most 18), then trailing zeros beyond the operands' places are dropped
 * (10 / 4 = 2.5, 1000.00 / 3 = 333.33333333).  % takes the sign of the
 * dividend.  Division by zero, a result of more than 18 digits, and a
 * date outside the years 1..9999 give a missing value.
 *
 * Missing values.  An empty field is missing, and so is a function result
 * that would be empty text.  The empty string literal '' is an error
 * (write `x is empty`).  Conditions have three values, true, false and
 * unknown, as in SQL:
 *   - any comparison (= != < <= > >= ~ !~ in, not in, between) with a
 *     missing operand is unknown; so is an "in" that finds no match but met
 *     a missing item;
 *   - arithmetic and functions with a missing argument give missing
 *     (except coalesce, which exists for it);
 *   - not unknown is unknown; "and" and "or" follow Kleene logic (false
 *     and unknown = false, true or unknown = true, otherwise unknown);
 *   - `x is empty` and `x is not empty` are never unknown.
 * A row matches only when the whole condition is true, so a missing value
 * never makes a row match by accident: with last_date empty, neither
 * `last_date < 2026-01-01` nor `not last_date < 2026-01-01` matches.
 *
 * Functions (a date argument may be a date, or text read as a date):
 *   days_since(d)          as-of date minus d, in days (negative if d is
 *                          after the as-of date)
 *   year(d) month(d) day(d)
 *   weekday(d)             1 = Monday .. 7 = Sunday
 *   age(b)                 whole years from birthday b to the as-of date;
 *                          missing if b is after it
 *   days_until_birthday(b) days from the as-of date to the next birthday,
 *                          0 (today) .. 365
 *     A 29 February birthday falls on 28 February in common years, for
 *     both age() and days_until_birthday().
 *   lower(s) upper(s)      ASCII letters only; other characters are kept
 *   length(s)              in UTF-8 characters
 *   substr(s, start[, n])  characters from start (1 = first); missing if
 *                          start < 1, n < 0 or nothing is left
 *   contains(s, t) starts_with(s, t) ends_with(s, t)   conditions, bytes
 *   abs(x)  round(x[, places])   places -18..18, half away from zero;
 *                          round(12.5, 2) = 12.50
 *   min(a, b, ...) max(a, b, ...)   compared as by < ; missing if any is
 *   coalesce(a, b, ...)    the first argument that is not missing
 * Numbers and dates given where text is wanted are written in their cv
 * form (12.50, 2026-11-21).
 *
 * Errors.  Everything wrong with a source text (a typo, an unknown column
 * or function, a wrong number of arguments, a bad pattern, types that
 * cannot meet) is found by the compiler, before any row is read, and is
 * reported with the 1-based line and column (in characters) of the token
 * at fault.
 *
 * Evaluation does not allocate: text results point into the row, into the
 * compiled expression's literals, or into buffers made at compile time
 * (lower() and upper() keep one that grows only when a longer value than
 * any before arrives).  A compiled expression is therefore not safe to
 * evaluate from two threads at once; compile one per thread.
 */
#ifndef CV_EXPR_H
#define CV_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "tsv.h"

struct expr;

/*
 * What an evaluation needs besides the row.  asof is a day number (see
 * date.h); DAY_NONE makes days_since(), age() and days_until_birthday()
 * missing.  A NULL ctx is the same as asof = DAY_NONE.
 */
struct expr_ctx {
	int32_t	 asof;
};

/*
 * A compile error.  e.status is EX_USAGE (EX_NOINPUT or EX_IOERR when
 * rules_load() cannot read its file); e.line and col are 1-based (col
 * counts UTF-8 characters; both 0 when there is no position); e.msg is
 * the plain message, for example
 *     unknown column 'monetray' (did you mean 'monetary'?)
 */
struct expr_error {
	struct cv_error	 e;
	long		 col;
	int		 header;	/* EXPR_ANYCOL: the header may make
					   it another error (see there) */
};

/* expr_compile() flags */
enum {
	EXPR_VALUE = 1,		/* any value, not only a condition */
	EXPR_ANYCOL = 2		/* every name is a column: see below */
};

/* expr_truth() results */
enum {
	EXPR_FALSE = 0,
	EXPR_TRUE = 1,
	EXPR_UNKNOWN = 2
};

/*
 * Compile the NUL-terminated src against the stream's column names
 * cols[0..ncol).  The expression must be a condition unless flags has
 * EXPR_VALUE.  Returns the expression, to be freed with expr_free(), or
 * NULL with err filled.  cols is not kept.
 *
 * With EXPR_ANYCOL, cols is not read: every name is taken as a column, to
 * find the errors that do not depend on the stream's header before it is
 * read.  The expression then must not be evaluated, only freed.  An
 * unknown function is still an error, with err->header set: with a
 * header where it names a column, the message would be another.
 */
struct expr *expr_compile(const char *src, const char *const *cols, int ncol,
	    int flags, struct expr_error *err);

/*
 * The same for src[0..len) that starts at the given line and column of a
 * larger text (a rule file), so that errors name positions in that text.
 */
struct expr *expr_compile_at(const char *src, size_t len, long line, long col,
	    const char *const *cols, int ncol, int flags,
	    struct expr_error *err);

/*
 * Evaluate a condition over row (ncol fields, in header order, already
 * unescaped).  expr_test() returns 1 when it is true, 0 when it is false
 * or unknown; expr_truth() returns EXPR_TRUE, EXPR_FALSE or EXPR_UNKNOWN.
 * On an expression compiled with EXPR_VALUE that is not a condition, both
 * treat a value as unknown.
 */
int	expr_test(struct expr *e, const struct tsv_field *row,
	    const struct expr_ctx *ctx);
int	expr_truth(struct expr *e, const struct tsv_field *row,
	    const struct expr_ctx *ctx);

/*
 * Evaluate to text for a derived column: numbers with their places, dates
 * as YYYY-MM-DD, conditions as "true" or "false" (unknown is missing).
 * Sets *p and *n and returns 1, or returns 0 with *n = 0 for a missing
 * value.  The text points into the row or into e and stays valid until
 * the next evaluation of e or until the row changes; it is not
 * NUL-terminated.
 */
int	expr_value(struct expr *e, const struct tsv_field *row,
	    const struct expr_ctx *ctx, const char **p, size_t *n);

/*
 * The evaluations so far that came out unknown (or missing) because a
 * value that was there could not be used as needed: text where a number
 * or date is needed, values that cannot be compared, a division by zero, a
 * result past 18 digits.  Rows unknown only for missing values are not
 * counted.  For a warning: the rule may not say what its author meant.
 */
long	expr_misfits(const struct expr *e);

/* 1 if e is a condition (true/false/unknown), 0 if it is a value. */
int	expr_is_cond(const struct expr *e);
/* 1 if e is the literal `true` (a catch-all). */
int	expr_is_true(const struct expr *e);
/* 1 if e calls a function that needs the as-of date. */
int	expr_uses_asof(const struct expr *e);

/* Free e and everything it holds; NULL is allowed. */
void	expr_free(struct expr *e);

/*
 * Print err on stderr in the cv format: "prog: file:line:col: message"
 * (file may be a name such as "--where"; NULL leaves it out).
 */
void	expr_warn(const char *file, const struct expr_error *err);

#endif
