/*
 * tsv: reader and writer of the cv stream format (see tsv.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "hash.h"
#include "tsv.h"

/*
 * Every line of a cv stream ends with LF: one without is the end of a
 * file cut short (a copy interrupted), whose last value may be cut too.
 */
#define DAMAGED "the store is damaged (see cv-ingest --db %s --check)"
#define CUT_SHORT "the last line has no line end (the file may be cut short)"

long
tsv_unescape(char *p, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n; i++) {
		if (p[i] != '\\') {
			p[j++] = p[i];
			continue;
		}
		if (++i == n)
			return -1;
		switch (p[i]) {
		case 't':
			p[j++] = '\t';
			break;
		case 'n':
			p[j++] = '\n';
			break;
		case 'r':
			p[j++] = '\r';
			break;
		case '\\':
			p[j++] = '\\';
			break;
		default:
			return -1;
		}
	}
	return (long)j;
}

/*
 * The error for p[0..n), a value or a column name as written in the
 * stream (what says which), whose backslash escape is bad: the sequence
 * is named, since the value shown may be cut before it.
 */
static int
bad_escape(struct cv_error *e, long line, const char *what, const char *p,
    size_t n)
{
	char q[CV_QUOTE_MAX], b[CV_QUOTE_MAX];
	size_t i, k;

	for (i = 0; i + 1 < n; i++) {
		if (p[i] != '\\')
			continue;
		if (p[i + 1] != 't' && p[i + 1] != 'n' && p[i + 1] != 'r' &&
		    p[i + 1] != '\\')
			break;
		i++;
	}
	cv_quote_raw(q, sizeof(q), p, n);
	if (i + 1 >= n)
		return cv_failat(e, EX_DATAERR, line, "%s ends with a lone "
		    "backslash (a backslash is written \\\\): '%s'", what, q);
	if ((unsigned char)p[i + 1] < 0x20 || p[i + 1] == 0x7f)
		return cv_failat(e, EX_DATAERR, line, "a backslash before the "
		    "control byte 0x%02x in %s (only \\t \\n \\r and \\\\ are "
		    "escapes): '%s'", (unsigned char)p[i + 1], what, q);
	/* The backslash and the character after it, whole. */
	k = i + 2;
	if ((unsigned char)p[i + 1] >= 0xc0)
		while (k < n && k < i + 5 && ((unsigned char)p[k] & 0xc0) == 0x80)
			k++;
	cv_quote_raw(b, sizeof(b), p + i, k - i);
	return cv_failat(e, EX_DATAERR, line, "bad backslash escape '%s' in %s "
	    "(only \\t \\n \\r and \\\\ are escapes): '%s'", b, what, q);
}

/* The high bit of each byte of w that is zero, exactly. */
static inline uint64_t
zero_bytes(uint64_t w)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;

	return ~(((w & low7) + low7) | w | low7);
}

/*
 * Split a line into fields in one pass over it, eight bytes at a time (the
 * last word padded with zeros and masked): the TABs give the fields, and a
 * CR, a backslash or a NUL anywhere is noted on the way.
 */
static int
split(struct tsv_reader *r, char *p, size_t n, int want, struct cv_error *e)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t w, keep, tabs, special = 0;
	size_t i, start = 0;
	int k = 0, cr = 0, bs = 0, nul = 0;
	char q[CV_QUOTE_MAX];

	for (i = 0; i < n; i += 8) {
		if (n - i >= 8) {
			memcpy(&w, p + i, 8);
			keep = ~(uint64_t)0;
		} else {
			w = 0;
			memcpy(&w, p + i, n - i);
			keep = ((uint64_t)1 << (8 * (n - i))) - 1;
		}
		tabs = zero_bytes(w ^ (ones * '\t')) & keep;
		special |= (zero_bytes(w ^ (ones * '\r')) |
		    zero_bytes(w ^ (ones * '\\')) | zero_bytes(w)) & keep;
		while (tabs != 0) {
			size_t at = i + (size_t)(__builtin_ctzll(tabs) >> 3);

			if (k + 1 >= want)
				return cv_failat(e, EX_DATAERR, r->lineno, "more "
				    "than %d field%s (the header has %d)", want,
				    want == 1 ? "" : "s", want);
			r->f[k].p = p + start;
			r->f[k].n = at - start;
			k++;
			start = at + 1;
			tabs &= tabs - 1;
		}
	}
	r->f[k].p = p + start;
	r->f[k].n = n - start;
	k++;
	if (special != 0) {
		cr = memchr(p, '\r', n) != NULL;
		bs = memchr(p, '\\', n) != NULL;
		nul = memchr(p, '\0', n) != NULL;
	}
	if (cr)
		return cv_failat(e, EX_DATAERR, r->lineno, "carriage return in "
		    "a cv stream (CRLF line ends are not allowed)");
	if (nul)
		return cv_failat(e, EX_DATAERR, r->lineno, "NUL byte in a cv "
		    "stream");
	if (k != want)
		return cv_failat(e, EX_DATAERR, r->lineno, "%d field%s, the header "
		    "has %d", k, k == 1 ? "" : "s", want);
	r->raw = p;
	if (bs) {
		int j;

		/*
		 * Unescape a copy: the line may be in a read-only mapping of
		 * the file, and r->raw keeps the line as read.
		 */
		r->unesc.len = 0;
		buf_add(&r->unesc, p, n);
		for (j = 0; j < k; j++) {
			size_t off = (size_t)(r->f[j].p - p);
			char *u = r->unesc.p + off;
			long m = tsv_unescape(u, r->f[j].n);

			if (m < 0) {
				char what[CV_QUOTE_MAX + 16];

				snprintf(what, sizeof(what), "column '%s'",
				    cv_quote(q, sizeof(q), r->cols[j],
				    strlen(r->cols[j])));
				return bad_escape(e, r->lineno, what, p + off,
				    r->f[j].n);
			}
			r->f[j].p = u;
			r->f[j].n = (size_t)m;
		}
	}
	r->rawlen = n;
	return 0;
}

/*
 * With IN_THREAD, open a store's input i + 1 in the slot other than in:
 * its thread inflates it while input i is read.  Only a store's files,
 * which no one changes while the store's lock is held: a file named by
 * the user may still be written, replaced or made readable while the one
 * before it is read, and is opened when the reader comes to it.  Not
 * under a limit on the address space (ulimit -v), which a second input's
 * blocks and thread would spend.  A file that fails to open ahead is
 * opened again when the reader comes to it, and fails then.
 */
static void
open_ahead(struct tsv_reader *r, int i, struct cv_in *in)
{
	struct cv_error e;
	struct rlimit rl;

	if (!(r->flags & IN_THREAD) || r->store == NULL ||
	    i + 1 >= r->npaths || getrlimit(RLIMIT_AS, &rl) < 0 ||
	    rl.rlim_cur != RLIM_INFINITY)
		return;
	if (in_open(in == &r->ins[0] ? &r->ins[1] : &r->ins[0],
	    r->paths[i + 1], r->flags, &e) == 0)
		r->ahead = 1;
}

/* Open input number i and read its header line into r->hdrline. */
static int
open_input(struct tsv_reader *r, int i, struct cv_error *e)
{
	struct cv_in *in;
	char *p;
	size_t n;
	int rc, ahead = r->ahead;

	in = r->in == &r->ins[0] ? &r->ins[1] : &r->ins[0];
	r->ahead = 0;
	if (!ahead && in_open(in, r->npaths ? r->paths[i] : NULL, r->flags,
	    e) < 0) {
		struct stat sb;

		/* A file the manifest names is the store's, not an input. */
		if (r->store != NULL && lstat(r->paths[i], &sb) < 0 &&
		    errno == ENOENT)
			cv_failat(e, EX_DATAERR, 0, "%s: named by the manifest, "
			    "but missing: " DAMAGED, r->paths[i], r->store->dir);
		return -1;
	}
	r->in = in;
	r->open = 1;
	r->name = in->name;
	open_ahead(r, i, in);
	lines_init(&r->lines, in);
	rc = lines_next(&r->lines, &p, &n, e);
	if (rc < 0)
		return -1;
	r->lineno = 1;
	if (r->store != NULL && (rc == 0 || r->lines.nolf || !in->gz ||
	    n != strlen(r->store->header) ||
	    memcmp(p, r->store->header, n) != 0))
		return cv_failat(e, EX_DATAERR, 0, "%s: not a %s file of the "
		    "store: " DAMAGED, r->name, r->store->kind,
		    r->store->dir);
	if (rc == 0)
		return cv_failat(e, EX_DATAERR, 0, "%s: empty input: no "
		    "header line", r->name);
	if (r->lines.nolf)
		return cv_failat(e, EX_DATAERR, 1, CUT_SHORT);
	r->hdrline.len = 0;
	buf_add(&r->hdrline, p, n);
	return 0;
}

/*
 * The first of the k names that an earlier one repeats, or -1: a table of
 * indexes, so that a header of many thousand columns is checked at once.
 */
static int
repeated_name(char **names, int k)
{
	size_t size = 16, mask, h;
	int *slot, i, found = -1;

	while (size < (size_t)k * 2)
		size *= 2;
	mask = size - 1;
	slot = xcalloc(size, sizeof(*slot));
	for (i = 0; i < k && found < 0; i++) {
		h = hash64(names[i], strlen(names[i]), 0) & mask;
		for (; slot[h] != 0; h = (h + 1) & mask)
			if (strcmp(names[slot[h] - 1], names[i]) == 0) {
				found = i;
				break;
			}
		slot[h] = i + 1;
	}
	free(slot);
	return found;
}

/* tsv_open() but for the cleanup after a failure. */
static int
open_all(struct tsv_reader *r, char **paths, int npaths, int flags,
    const struct tsv_store *st, struct cv_error *e)
{
	char *s, *t, *end;
	int k, i;
	long m;
	char q[CV_QUOTE_MAX];

	memset(r, 0, sizeof(*r));
	r->store = st;
	r->paths = paths;
	r->npaths = npaths;
	r->flags = flags;
	e->line = 0;
	if (open_input(r, 0, e) < 0)
		return -1;
	if (memchr(r->hdrline.p, '\r', r->hdrline.len) != NULL)
		return cv_failat(e, EX_DATAERR, 1, "carriage return in a cv "
		    "stream (CRLF line ends are not allowed)");
	if (memchr(r->hdrline.p, '\0', r->hdrline.len) != NULL)
		return cv_failat(e, EX_DATAERR, 1, "NUL byte in a cv stream");
	/* Count and split the header into its own copy. */
	s = r->hdrline.p;
	end = s + r->hdrline.len;
	for (k = 1, t = s; (t = memchr(t, '\t', (size_t)(end - t))) != NULL; t++)
		k++;
	r->ncol = k;
	r->cols = xcalloc((size_t)k, sizeof(*r->cols));
	r->f = xcalloc((size_t)k + 1, sizeof(*r->f));
	for (i = 0; i < k; i++) {
		t = memchr(s, '\t', (size_t)(end - s));
		if (t == NULL)
			t = end;
		r->cols[i] = xstrndup(s, (size_t)(t - s));
		m = tsv_unescape(r->cols[i], strlen(r->cols[i]));
		if (m < 0) {
			char what[32];

			snprintf(what, sizeof(what), "the name of column %d",
			    i + 1);
			return bad_escape(e, 1, what, s, (size_t)(t - s));
		}
		r->cols[i][m] = '\0';
		if (r->cols[i][0] == '\0')
			return cv_failat(e, EX_DATAERR, 1, "column %d has no "
			    "name", i + 1);
		s = t + 1;
	}
	if ((i = repeated_name(r->cols, k)) >= 0)
		return cv_failat(e, EX_DATAERR, 1, "column '%s' appears twice "
		    "in the header", cv_quote(q, sizeof(q), r->cols[i],
		    strlen(r->cols[i])));
	return 0;
}

int
tsv_next(struct tsv_reader *r, struct cv_error *e)
{
	char *p;
	size_t n;
	int rc;

	for (;;) {
		rc = lines_next(&r->lines, &p, &n, e);
		if (rc < 0) {
			e->line = 0;
			return -1;
		}
		if (rc > 0) {
			r->lineno = r->lines.lineno;
			if (r->lines.nolf)
				return cv_failat(e, EX_DATAERR, r->lineno,
				    CUT_SHORT);
			return split(r, p, n, r->ncol, e) < 0 ? -1 : 1;
		}
		/* This input is done: go on with the next one, if any. */
		if (r->store != NULL &&
		    r->lines.lineno - 1 != r->store->rows[r->cur]) {
			long long got = r->lines.lineno - 1;

			return cv_failat(e, EX_DATAERR, 0, "%s: %lld row%s, the "
			    "manifest says %lld: " DAMAGED, r->name, got,
			    got == 1 ? "" : "s", r->store->rows[r->cur],
			    r->store->dir);
		}
		if (r->cur + 1 < r->npaths && r->crossing != NULL &&
		    r->crossing(r->crossing_ctx) != 0)
			return 0;
		lines_free(&r->lines);
		in_close(r->in);
		r->open = 0;
		if (r->cur + 1 >= r->npaths)
			return 0;
		r->cur++;
		{
			struct buf first = r->hdrline;

			r->hdrline = (struct buf)BUF_INIT;
			rc = open_input(r, r->cur, e);
			if (rc == 0 && (first.len != r->hdrline.len ||
			    memcmp(first.p, r->hdrline.p, first.len) != 0))
				rc = cv_failat(e, EX_DATAERR, 1, "header differs "
				    "from the one of '%s'", strcmp(r->paths[0],
				    "-") == 0 ? "<stdin>" : r->paths[0]);
			buf_free(&r->hdrline);
			r->hdrline = first;
			if (rc < 0)
				return -1;
		}
	}
}

int
tsv_col(const struct tsv_reader *r, const char *name)
{
	int i;

	for (i = 0; i < r->ncol; i++)
		if (strcmp(r->cols[i], name) == 0)
			return i;
	return -1;
}

/* A reader that failed to open holds nothing: tsv_close() is optional. */
int
tsv_open(struct tsv_reader *r, char **paths, int npaths, int flags,
    struct cv_error *e)
{
	return tsv_open_store(r, paths, npaths, flags, NULL, e);
}

int
tsv_open_store(struct tsv_reader *r, char **paths, int npaths, int flags,
    const struct tsv_store *st, struct cv_error *e)
{
	if (open_all(r, paths, npaths, flags, st, e) < 0) {
		tsv_close(r);
		return -1;
	}
	return 0;
}

void
tsv_close(struct tsv_reader *r)
{
	int i;

	if (r->open) {
		lines_free(&r->lines);
		in_close(r->in);
		r->open = 0;
	}
	if (r->ahead > 0)
		in_close(r->in == &r->ins[0] ? &r->ins[1] : &r->ins[0]);
	r->ahead = 0;
	for (i = 0; i < r->ncol && r->cols != NULL; i++)
		free(r->cols[i]);
	free(r->cols);
	free(r->f);
	buf_free(&r->hdrline);
	buf_free(&r->unesc);
	r->cols = NULL;
	r->f = NULL;
}

void
tsv_put(struct cv_out *o, const char *p, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		char c = p[i];
		const char *esc;

		if ((unsigned char)c > '\\' || (c != '\t' && c != '\n' &&
		    c != '\r' && c != '\\'))
			continue;
		esc = c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ?
		    "\\r" : "\\\\";
		out_write(o, p + start, i - start);
		out_write(o, esc, 2);
		start = i + 1;
	}
	out_write(o, p + start, n - start);
}

/* Bytes that need a backslash in a cv stream. */
static const unsigned char special[256] = {
	['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r', ['\\'] = '\\'
};

void
tsv_buf_put(struct buf *b, const char *p, size_t n)
{
	size_t i = 0, start = 0;

	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	/* Most values need no escape. */
	if (!tsv_special(p, n)) {
		memcpy(b->p + b->len, p, n);
		b->len += n;
		b->p[b->len] = '\0';
		return;
	}
	for (; i < n; i++) {
		unsigned char e = special[(unsigned char)p[i]];

		if (e == 0)
			continue;
		buf_add(b, p + start, i - start);
		buf_addc(b, '\\');
		buf_addc(b, (char)e);
		start = i + 1;
	}
	if (start == 0) {
		memcpy(b->p + b->len, p, n);
		b->len += n;
		b->p[b->len] = '\0';
	} else
		buf_add(b, p + start, n - start);
}
