/*
 * Unit tests for lib/csvin.c: what libcsv is fed and what comes out, line
 * numbers, runs of plain lines against quoted ones, GBK, stray quotes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "csvin.h"
#include "test.h"

struct got {
	struct recbatch	 rb;
	struct buf	 out;	/* "line:field|field;" per record */
	struct buf	 text;
	long		 calls;	/* emit calls with more than one record */
	long		 flushes;
	long		 records;
	int		 whole;	/* take whole batches (see emit()) */
};

/* Take the records of the batch from record k on. */
static void
take(struct got *g, struct recbatch *b, int k)
{
	const struct csv_rec *r;
	const char *p;
	size_t n;
	int i;

	for (; k < b->nr; k++) {
		r = &b->r[k];
		g->records++;
		buf_printf(&g->out, "%ld:", r->line);
		for (i = 0; i < r->nf; i++) {
			p = rec_field(b, r, i, &n);
			buf_add(&g->out, p, n);
			buf_addc(&g->out, i + 1 < r->nf ? '|' : ';');
		}
		if (r->flags & CSVREC_BROKEN)
			buf_adds(&g->out, "BROKEN;");
		if (r->flags & CSVREC_BADENC)
			buf_adds(&g->out, "BADENC;");
	}
}

/*
 * Each record as it comes; or, with g->whole, as a caller that passes
 * batches on does: the records are taken when the batch is full or
 * csvin asks for it (c->flush), and the batch then starts afresh.
 */
static int
emit(void *ctx, struct csvin *c)
{
	struct got *g = ctx;

	if (c->nnew > 1)
		g->calls++;
	if (c->flush)
		g->flushes++;
	if (!g->whole) {
		take(g, c->batch, c->batch->nr - c->nnew);
		return 0;
	}
	if (c->flush || c->batch->nr >= 500) {
		take(g, c->batch, 0);
		recbatch_clear(c->batch);
	}
	return 0;
}

static struct got g;
static struct csvin c;

static const char *
parse2(const char *bytes, size_t n, int delim, int assist)
{
	struct cv_error e;
	char path[] = "/tmp/cv-csvin-test.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fwrite(bytes, 1, n, f);
	fclose(f);
	recbatch_free(&g.rb);
	g.out.len = 0;
	buf_adds(&g.out, "");
	g.calls = g.flushes = g.records = 0;
	memset(&c, 0, sizeof(c));
	c.delim = delim;
	c.assist = assist;
	c.batch = &g.rb;
	g.whole = assist;
	if (csvin_read(&c, path, emit, &g, &e) < 0)
		buf_printf(&g.out, "ERROR %s", e.msg);
	if (g.whole)
		take(&g, &g.rb, 0);
	unlink(path);
	return g.out.p;
}

static const char *
parse(const char *bytes, size_t n, int delim, int *enc, int *d)
{
	parse2(bytes, n, delim, 0);
	if (enc != NULL)
		*enc = c.enc_used;
	if (d != NULL)
		*d = c.delim_used;
	return g.out.p;
}

/*
 * A long file of quote-free lines with what bulk() must get right (CRLF,
 * a bare CR inside a line, blank lines, blanks around fields), a quoted
 * record with a newline in the middle, and the line number as field 1,
 * in b; the records it holds, as emit() writes them, in w.  With gbk,
 * every 3rd line has a GBK name, and line bad a byte that is not GBK.
 */
static void
longfile(struct buf *b, struct buf *w, int lines, int gbk, int bad)
{
	int i;

	b->len = 0;
	w->len = 0;
	buf_adds(b, "no,name,qty\r\n");
	buf_adds(w, "1:no|name|qty;");
	for (i = 2; i <= lines; i++) {
		if (i == lines / 2) {
			buf_printf(b, "%d,\"two\nlines\",1\r\n", i);
			buf_printf(w, "%d:%d|two\nlines|1;", i, i);
			i++;
		} else if (i % 1000 == 0)
			buf_adds(b, "\r\n");
		else if (i % 777 == 0) {
			buf_printf(b, "%d,a\rb,%d\n", i, i);
			buf_printf(w, "%d:%d|a;%d:b|%d;", i, i, i, i);
		} else if (gbk && i == bad) {
			buf_printf(b, "%d,\x81,%d\n", i, i);
			buf_printf(w, "%d:%d|\xef\xbf\xbd|%d;BADENC;", i, i, i);
		} else if (gbk && i % 3 == 0) {
			buf_printf(b, "%d,\xc9\xa2\xbf\xcd%d,%d\n", i, i, i);
			buf_printf(w, "%d:%d|\xe6\x95\xa3\xe5\xae\xa2%d|%d;", i,
			    i, i, i);
		} else {
			buf_printf(b, "%d,  n%d ,%d\r\n", i, i, i);
			buf_printf(w, "%d:%d|n%d|%d;", i, i, i, i);
		}
	}
}

#define P(s) parse(s, sizeof(s) - 1, 0, NULL, NULL)

int
main(void)
{
	int enc, d, i;
	struct buf big = BUF_INIT;
	const char *r;

	CHECK_STR(P("a,b\n1,2\n"), "1:a|b;2:1|2;");
	CHECK_STR(P("a;b\n1;2\n"), "1:a|b;2:1|2;");
	CHECK_STR(P("a\tb\n1\t2\n"), "1:a|b;2:1|2;");
	CHECK_STR(P("a|b\n1|2\n"), "1:a|b;2:1|2;");
	CHECK_STR(P("\xef\xbb\xbf" "a,b\r\n1,2\r\n"), "1:a|b;2:1|2;");
	CHECK_STR(P("a,b\n\n\n1,2\n"), "1:a|b;4:1|2;");
	CHECK_STR(P("a,b\n1,\"x,\"\"y\"\"\nz\"\n3,4\n"),
	    "1:a|b;2:1|x,\"y\"\nz;4:3|4;");
	CHECK_STR(P("a,b\n1,2"), "1:a|b;2:1|2;");		/* no final LF */
	CHECK_STR(P("title\n\na,b,c\n"), "1:title;3:a|b|c;");
	CHECK_STR(P(""), "");
	/*
	 * Lines that lone CRs end (Excel for Mac): counted as lines, a CRLF
	 * or an LF among them one line end, a break in a quoted field an LF.
	 */
	CHECK_STR(P("a,b\r1,2\r\r3,\"x\ry\"\r4,5\r\n6,7\n8,9\r"),
	    "1:a|b;2:1|2;4:3|x\ny;6:4|5;7:6|7;8:8|9;");
	CHECK_STR(P("\xef\xbb\xbf" "a,b\r1,2"), "1:a|b;2:1|2;");
	/* An LF file with a lone CR in a line: a record, not a line. */
	CHECK_STR(P("a,b\n1,2\r3,4\n5,6\n"), "1:a|b;2:1|2;2:3|4;3:5|6;");
	/* A stray quote: its line is broken, the lines after it are read. */
	CHECK_STR(P("a,b\n1,\"x\n2,3\n"), "1:a|b;2:BROKEN;3:2|3;");
	/* Blanks as the separator. */
	CHECK_STR(parse(" 00001 19970101  1   11.77\r\n", 27, DELIM_BLANKS, NULL,
	    NULL), "1:00001|19970101|1|11.77;");
	/* GBK: found from the bytes and converted. */
	r = parse("\xb5\xa5\xba\xc5,x\n1,2\n", 11, 0, &enc, &d);
	CHECK_STR(r, "1:单号|x;2:1|2;");
	CHECK(enc == ENC_GBK && d == ',');
	/* A UTF-8 file with a bad line: that line is flagged, the rest read. */
	CHECK_STR(P("a,b\n1,\xe5\x8d\x95\n1,\xff\n2,3\n"),
	    "1:a|b;2:1|\xe5\x8d\x95;3:1|\xff;BADENC;4:2|3;");
	/* The first line that is not ASCII decides: not UTF-8 means GBK, and
	 * a byte that is not GBK either becomes U+FFFD and flags the line. */
	CHECK_STR(P("a,b\n1,\xff\n2,3\n"),
	    "1:a|b;2:1|\xef\xbf\xbd;BADENC;3:2|3;");

	/* Many lines: runs of plain lines go to libcsv whole; quoted lines,
	 * blank lines and CRLF between them keep the line numbers right. */
	buf_adds(&big, "id,name,n\r\n");
	for (i = 2; i <= 5000; i++) {
		if (i % 97 == 0)
			buf_printf(&big, "%d,\"two\nlines\",%d\r\n", i, i);
		else if (i % 89 == 0)
			buf_adds(&big, "\r\n");
		else
			buf_printf(&big, "%d,n%d,%d\r\n", i, i, i);
	}
	r = parse(big.p, big.len, 0, NULL, NULL);
	CHECK(strstr(r, "2:2|n2|2;") != NULL);
	CHECK(strstr(r, "97:97|two\nlines|97;") != NULL);
	CHECK(strstr(r, "99:98|n98|98;") != NULL);	/* after a 2-line one */
	CHECK(strstr(r, ";179:") == NULL);		/* 178 is blank */
	CHECK(strstr(r, "5000:") != NULL || strstr(r, "5001:") != NULL);
	{
		/* Every record's first field is its own number: the line is
		 * that number plus the quoted lines above it. */
		const char *p = r;
		long line, id, extra = 0, bad = 0;

		while (*p != '\0') {
			if (sscanf(p, "%ld:%ld", &line, &id) == 2 && id > 1 &&
			    line != id + extra)
				bad++;
			if (id % 97 == 0 && id > 1)
				extra++;
			p = strchr(p, ';');
			if (p == NULL)
				break;
			p++;
		}
		CHECK(bad == 0);
	}
	buf_free(&big);

	{
		/* Long runs parsed on two threads: the same records, in the
		 * same order with the same line numbers, as on one. */
		struct buf f = BUF_INIT, w = BUF_INIT;
		int n = 120001;	/* the last line is not blank */

		longfile(&f, &w, n, 0, 0);
		CHECK(f.len > 2000000);
		r = parse2(f.p, f.len, 0, 0);
		CHECK(g.calls == 0 && g.flushes == 0);
		CHECK(strcmp(r, w.p) == 0);
		r = parse2(f.p, f.len, 0, 1);
		CHECK(g.calls > 0 && g.flushes > 0);
		CHECK(strcmp(r, w.p) == 0);
		CHECK(c.records == g.records && c.lines == n);
		/* The last piece ends without a line end. */
		f.len -= 2;
		r = parse2(f.p, f.len, 0, 1);
		CHECK(strcmp(r, w.p) == 0);

		/* GBK runs are converted whole: the same as line by line,
		 * and a byte that is not GBK still flags its line alone. */
		longfile(&f, &w, n, 1, 0);
		r = parse2(f.p, f.len, 0, 1);
		CHECK(c.enc_used == ENC_GBK && g.calls > 0);
		CHECK(strcmp(r, w.p) == 0);
		longfile(&f, &w, n, 1, 70001);
		r = parse2(f.p, f.len, 0, 1);
		CHECK(strcmp(r, w.p) == 0);
		CHECK(c.lines == n && c.records == g.records);
		buf_free(&f);
		buf_free(&w);
	}
	recbatch_free(&g.rb);
	buf_free(&g.out);
	return test_summary();
}
