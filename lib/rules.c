/*
 * rules: rule files (see rules.h).  The text is cut into rules line by
 * line with a small scanner that knows quotes, comments and parenthesis
 * depth, which is all it takes to tell where a rule ends.  Each rule's
 * expression is then compiled by expr_compile_at() on the original text,
 * comments and line breaks included, so that its errors carry their true
 * line and column in the file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rules.h"
#include "utf8.h"

#define MAXOPEN 64

/* The scanner's state over the lines of one rule. */
struct scan {
	int	 depth;			/* open parentheses */
	size_t	 open[MAXOPEN];		/* where they are (the first MAXOPEN) */
	int	 colon;			/* the line holds a ':' outside quotes */
	int	 unterminated;		/* the line ends inside quotes */
};

static int	rfail(struct expr_error *, const char *, size_t, const char *,
		    ...) __attribute__((format(printf, 4, 5)));

/* Fill err for the position off of text. */
static int
rfail(struct expr_error *err, const char *text, size_t off, const char *fmt,
    ...)
{
	va_list ap;
	size_t i, ls = 0;
	long line = 1;

	for (i = 0; i < off; i++)
		if (text[i] == '\n') {
			line++;
			ls = i + 1;
		}
	err->e.status = EX_USAGE;
	err->e.line = line;
	err->col = 1 + (long)utf8_len(text + ls, off - ls);
	va_start(ap, fmt);
	vsnprintf(err->e.msg, sizeof(err->e.msg), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Scan s[i..end), part of one line of expression text, and return where
 * its code ends: at a '#' outside quotes, or at end.  Quotes do not span
 * lines; the escapes are those of expr.h.
 */
static size_t
scan_code(const char *s, size_t i, size_t end, struct scan *sc)
{
	char qc = 0;

	sc->colon = sc->unterminated = 0;
	for (; i < end; i++) {
		char c = s[i];

		if (qc != 0) {
			if (c == '\\' && i + 1 < end)
				i++;
			else if (c == qc)
				qc = 0;
			continue;
		}
		switch (c) {
		case '\'':
		case '"':
		case '`':
			qc = c;
			break;
		case '#':
			return i;
		case '(':
			if (sc->depth < MAXOPEN)
				sc->open[sc->depth] = i;
			sc->depth++;
			break;
		case ')':
			if (sc->depth > 0)
				sc->depth--;
			break;
		case ':':
			sc->colon = 1;
			break;
		}
	}
	sc->unterminated = qc != 0;
	return end;
}

static int
isblank_(char c)
{
	return c == ' ' || c == '\t';
}

/* Append s[i..e), trimmed, to b, after a blank when b is not empty. */
static void
addcode(struct buf *b, const char *s, size_t i, size_t e)
{
	while (i < e && (isblank_(s[i]) || s[i] == '\r'))
		i++;
	while (e > i && (isblank_(s[e - 1]) || s[e - 1] == '\r'))
		e--;
	if (i == e)
		return;
	if (b->len > 0)
		buf_addc(b, ' ');
	buf_add(b, s + i, e - i);
}

/* One line: [ls, le) without the LF (and without a CR before it). */
static size_t
line_end(const char *text, size_t len, size_t ls, size_t *next)
{
	const char *nl = memchr(text + ls, '\n', len - ls);
	size_t le = nl != NULL ? (size_t)(nl - text) : len;

	*next = nl != NULL ? le + 1 : len;
	if (le > ls && text[le - 1] == '\r')
		le--;
	return le;
}

/* Does the line after next continue a rule (indented, no ':')? */
static int
looks_continued(const char *text, size_t len, size_t next)
{
	struct scan sc;
	size_t le, nn, i;

	if (next >= len)
		return 0;
	le = line_end(text, len, next, &nn);
	if (!isblank_(text[next]))
		return 0;
	for (i = next; i < le && isblank_(text[i]); i++)
		;
	if (i == le || text[i] == '#')
		return 0;
	memset(&sc, 0, sizeof(sc));
	scan_code(text, i, le, &sc);
	return !sc.colon;
}

static const char hint[] =
    " (a rule goes on to the next line only inside parentheses)";

static void
addrule(struct rules *rs, int *cap, struct rule *r)
{
	if (rs->n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		rs->v = xreallocarray(rs->v, (size_t)*cap, sizeof(*rs->v));
	}
	rs->v[rs->n++] = *r;
}

/* flags: 0, or EXPR_ANYCOL for rules_check(). */
static int
parse(struct rules *rs, const char *text, size_t len,
    const char *const *cols, int ncol, int flags, struct expr_error *err)
{
	struct scan sc, nsc;
	struct buf src = BUF_INIT;
	struct rule r;
	char b1[CV_QUOTE_MAX], b2[CV_QUOTE_MAX];
	const char *nul;
	size_t pos = 0, ls, le, next, i, c, ne, xs, end, lend;
	long line = 0, first, col;
	int cap = 0, rc = -1;

	/* Names are written out as they are: they must be UTF-8 too. */
	if ((i = utf8_bad(text, len)) < len)
		return rfail(err, text, i, "the text is not UTF-8 here (saved "
		    "as GBK? save it as UTF-8)");
	while (pos < len) {
		ls = pos;
		le = line_end(text, len, ls, &next);
		line++;
		pos = next;
		for (i = ls; i < le && isblank_(text[i]); i++)
			;
		if (i == le || text[i] == '#')
			continue;
		/* The name: up to the first ':'. */
		for (c = i; c < le && text[c] != ':' && text[c] != '#'; c++)
			;
		if (c == le || text[c] == '#') {
			/* A Chinese input method types the colon full-width. */
			const char *fw = memmem(text + i, c - i, "\xef\xbc\x9a",
			    3), *qt;

			/* Before any quote: not one inside a string. */
			for (qt = text + i; fw != NULL && qt < fw; qt++)
				if (*qt == '\'' || *qt == '"')
					fw = NULL;

			if (fw != NULL)
				rfail(err, text, (size_t)(fw - text), "unexpected "
				    "'\xef\xbc\x9a' after the rule's name: a "
				    "full-width character, write ':' instead");
			else
				rfail(err, text, i, "expected 'name: "
				    "expression'%s", i > ls && rs->n > 0 ?
				    hint : "");
			goto out;
		}
		for (ne = c; ne > i && isblank_(text[ne - 1]); ne--)
			;
		if (ne == i) {
			rfail(err, text, c, "a rule needs a name before ':'");
			goto out;
		}
		/* The name is kept as a C string: a NUL would cut it. */
		if ((nul = memchr(text + i, '\0', ne - i)) != NULL) {
			rfail(err, text, (size_t)(nul - text), "unexpected "
			    "'\\x00' in the rule's name");
			goto out;
		}
		if (rs->n > 0 && rs->v[rs->n - 1].catchall) {
			struct rule *ca = &rs->v[rs->n - 1];

			rfail(err, text, i, "rule '%s' can never match: the "
			    "catch-all rule '%s' on line %ld comes before it",
			    cv_quote(b1, sizeof(b1), text + i, ne - i),
			    cv_quote(b2, sizeof(b2), ca->name, strlen(ca->name)),
			    ca->line);
			goto out;
		}
		/* The expression: this line, and more while a '(' is open. */
		first = line;
		xs = c + 1;
		col = 1 + (long)utf8_len(text + ls, xs - ls);
		memset(&sc, 0, sizeof(sc));
		buf_reset(&src);
		end = scan_code(text, xs, le, &sc);
		addcode(&src, text, xs, end);
		lend = le;
		while (sc.depth > 0 && !sc.unterminated && pos < len) {
			ls = pos;
			le = line_end(text, len, ls, &next);
			/* Scan a copy: a new rule must not move the '(' to
			 * report. */
			nsc = sc;
			end = scan_code(text, ls, le, &nsc);
			if (nsc.colon) {
				rfail(err, text, sc.open[sc.depth > MAXOPEN ?
				    MAXOPEN - 1 : sc.depth - 1], "'(' is not "
				    "closed before the next rule, on line %ld",
				    line + 1);
				goto out;
			}
			sc = nsc;
			line++;
			pos = next;
			addcode(&src, text, ls, end);
			lend = le;
		}
		if (sc.depth > 0 && !sc.unterminated) {
			rfail(err, text, sc.open[sc.depth > MAXOPEN ?
			    MAXOPEN - 1 : sc.depth - 1], "'(' is never closed");
			goto out;
		}
		memset(&r, 0, sizeof(r));
		r.line = first;
		r.catchall = src.len == 1 && src.p[0] == '*';
		if (r.catchall)
			r.expr = expr_compile("true", cols, ncol, 0, err);
		else
			r.expr = expr_compile_at(text + xs, lend - xs, first,
			    col, cols, ncol, flags, err);
		if (r.expr == NULL) {
			/* A failure at the very end may be a lost line. */
			size_t room = sizeof(err->e.msg) - strlen(err->e.msg);

			if (err->e.line == line && err->col == 1 +
			    (long)utf8_len(text + ls, lend - ls) &&
			    looks_continued(text, len, pos) && room > sizeof(hint))
				strcat(err->e.msg, hint);
			goto out;
		}
		r.catchall = r.catchall || expr_is_true(r.expr);
		r.name = xstrndup(text + i, ne - i);
		r.src = xstrdup(src.len > 0 ? src.p : "");
		addrule(rs, &cap, &r);
	}
	if (rs->n == 0) {
		err->e.status = EX_USAGE;
		snprintf(err->e.msg, sizeof(err->e.msg), "no rules");
		goto out;
	}
	rc = 0;
out:
	buf_free(&src);
	return rc;
}

static struct rules *
parse_text(const char *text, size_t len, const char *const *cols, int ncol,
    int flags, struct expr_error *err)
{
	struct rules *rs = xcalloc(1, sizeof(*rs));
	int rc;

	memset(err, 0, sizeof(*err));
	/*
	 * A byte order mark is dropped here; it is not counted in the
	 * columns of line 1, as an editor would not show it.
	 */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		rc = parse(rs, text + 3, len - 3, cols, ncol, flags, err);
	else
		rc = parse(rs, text, len, cols, ncol, flags, err);
	if (rc < 0) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

struct rules *
rules_parse(const char *text, size_t len, const char *const *cols, int ncol,
    struct expr_error *err)
{
	return parse_text(text, len, cols, ncol, 0, err);
}

int
rules_check(const char *text, size_t len, struct expr_error *err)
{
	struct rules *rs = parse_text(text, len, NULL, 0, EXPR_ANYCOL, err);

	if (rs == NULL && !err->header)
		return -1;
	rules_free(rs);
	memset(err, 0, sizeof(*err));
	return 0;
}

int
rules_read(const char *path, char **text, size_t *len,
    struct expr_error *err)
{
	struct buf b = BUF_INIT;
	struct stat st;
	FILE *fp;
	size_t n;

	memset(err, 0, sizeof(*err));
	*text = NULL;
	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL) {
		cv_fail(&err->e, EX_NOINPUT, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		cv_fail(&err->e, EX_NOINPUT, "is a folder, not a file");
		fclose(fp);
		return -1;
	}
	for (;;) {
		buf_grow(&b, 65536);
		n = fread(b.p + b.len, 1, b.cap - b.len - 1, fp);
		b.len += n;
		b.p[b.len] = '\0';
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		cv_fail(&err->e, EX_IOERR, "read error: %s", strerror(errno));
		fclose(fp);
		buf_free(&b);
		return -1;
	}
	fclose(fp);
	*text = b.p;
	*len = b.len;
	return 0;
}

struct rules *
rules_load(const char *path, const char *const *cols, int ncol,
    struct expr_error *err)
{
	struct rules *rs;
	char *text;
	size_t len;

	if (rules_read(path, &text, &len, err) < 0)
		return NULL;
	rs = rules_parse(text, len, cols, ncol, err);
	free(text);
	return rs;
}

int
rules_match(struct rules *rs, const struct tsv_field *row,
    const struct expr_ctx *ctx)
{
	int i;

	for (i = 0; i < rs->n; i++)
		if (expr_test(rs->v[i].expr, row, ctx))
			return i;
	return -1;
}

int
rules_has_catchall(const struct rules *rs)
{
	return rs->n > 0 && rs->v[rs->n - 1].catchall;
}

int
rules_use_asof(const struct rules *rs)
{
	int i;

	for (i = 0; i < rs->n; i++)
		if (expr_uses_asof(rs->v[i].expr))
			return 1;
	return 0;
}

void
rules_free(struct rules *rs)
{
	int i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].name);
		free(rs->v[i].src);
		expr_free(rs->v[i].expr);
	}
	free(rs->v);
	free(rs);
}
