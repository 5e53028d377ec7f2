/*
 * Unit tests for lib/tsv.c: escaping, the reader's checks, several inputs;
 * and buf.h's buf_copy(), which the writers of rows use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "io.h"
#include "test.h"
#include "tsv.h"

static char dir[] = "/tmp/cv-tsv-test.XXXXXX";

static char *
file(const char *name, const char *text)
{
	static char path[4][256];
	static int k;
	char *p = path[k++ % 4];
	FILE *f;

	snprintf(p, 256, "%s/%s", dir, name);
	f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	return p;
}

/* Read all rows of one file; returns rows read, or -1 with e filled. */
static int
rows(char *path, struct cv_error *e, struct buf *out)
{
	struct tsv_reader r;
	char *paths[1];
	int n = 0, rc, i;

	paths[0] = path;
	if (tsv_open(&r, paths, 1, 0, e) < 0) {
		tsv_close(&r);
		return -1;
	}
	while ((rc = tsv_next(&r, e)) == 1) {
		for (i = 0; i < r.ncol; i++) {
			buf_add(out, r.f[i].p, r.f[i].n);
			buf_addc(out, i + 1 < r.ncol ? '|' : ';');
		}
		n++;
	}
	tsv_close(&r);
	return rc < 0 ? -1 : n;
}

/*
 * tsv_special() on every length up to 40 and every position of each byte
 * that must be escaped, in a buffer whose neighbours are such bytes too
 * (a read outside the value would show); plain values of every length,
 * UTF-8 and spaces among them, give 0.  One check a length.
 */
static void
special_every_position(void)
{
	static const char bad[] = { '\t', '\n', '\r', '\\' };
	static const char plain[] = "A9 z~\x7f\xe4\xb8\x8a-.,\"'";
	char buf[64];
	size_t n, i, k;
	int ok;

	for (n = 0; n <= 40; n++) {
		memset(buf, '\\', sizeof(buf));
		for (i = 0; i < n; i++)
			buf[8 + i] = plain[i % (sizeof(plain) - 1)];
		ok = tsv_special(buf + 8, n) == 0;
		for (i = 0; i < n; i++)
			for (k = 0; k < sizeof(bad); k++) {
				char was = buf[8 + i];

				buf[8 + i] = bad[k];
				ok &= tsv_special(buf + 8, n) == 1;
				buf[8 + i] = was;
			}
		CHECK(ok);
	}
}

/* buf_copy() copies exactly n bytes, for every n to 40. One check. */
static void
copy_every_length(void)
{
	char src[48], dst[48], want[48];
	size_t n, i;
	int ok = 1;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)('a' + i % 26);
	for (n = 0; n <= 40; n++) {
		memset(dst, '#', sizeof(dst));
		memset(want, '#', sizeof(want));
		memcpy(want + 3, src + 1, n);
		buf_copy(dst + 3, src + 1, n);
		ok &= memcmp(dst, want, sizeof(dst)) == 0;
	}
	CHECK(ok);
}

int
main(void)
{
	struct buf b = BUF_INIT;
	struct cv_error e;
	char s[32];
	long n;
	struct tsv_reader r;
	char *two[2];

	if (mkdtemp(dir) == NULL)
		return 2;

	special_every_position();
	copy_every_length();
	tsv_buf_put(&b, "a\tb\nc\rd\\e", 9);
	CHECK_STR(b.p, "a\\tb\\nc\\rd\\\\e");
	b.len = 0;
	tsv_buf_put(&b, "plain", 5);
	CHECK_STR(b.p, "plain");
	b.len = 0;
	tsv_buf_put(&b, "0123456789abcdef\\xyz\x01\t", 22);
	CHECK_STR(b.p, "0123456789abcdef\\\\xyz\x01\\t");
	b.len = 0;
	tsv_buf_put(&b, "上海静安寺店 Shanghai Jing'an 0123456789", 46);
	CHECK_STR(b.p, "上海静安寺店 Shanghai Jing'an 0123456789");
	strcpy(s, "x\\ty\\\\z\\n");
	n = tsv_unescape(s, strlen(s));
	CHECK(n == 6 && memcmp(s, "x\ty\\z\n", 6) == 0);
	strcpy(s, "bad\\q");
	CHECK(tsv_unescape(s, strlen(s)) < 0);
	strcpy(s, "end\\");
	CHECK(tsv_unescape(s, strlen(s)) < 0);

	b.len = 0;
	CHECK(rows(file("ok.tsv", "a\tb\n1\t2\n\t\nx\\ty\tz\n"), &e, &b) == 3);
	CHECK_STR(b.p, "1|2;|;x\ty|z;");
	b.len = 0;
	CHECK(rows(file("short.tsv", "a\tb\n1\n"), &e, &b) < 0 &&
	    e.status == EX_DATAERR && e.line == 2 &&
	    strstr(e.msg, "1 field, the header has 2") != NULL);
	CHECK(rows(file("long.tsv", "a\tb\n1\t2\t3\n"), &e, &b) < 0 &&
	    e.line == 2 && strstr(e.msg, "more than 2") != NULL);
	CHECK(rows(file("crlf.tsv", "a\tb\r\n1\t2\r\n"), &e, &b) < 0 &&
	    e.line == 1 && strstr(e.msg, "carriage return") != NULL);
	CHECK(rows(file("esc.tsv", "a\n\\x\n"), &e, &b) < 0 && e.line == 2 &&
	    strstr(e.msg, "bad backslash") != NULL);
	/* The bad sequence is named; the value is shown as written. */
	CHECK(rows(file("esc2.tsv", "a\tb\n1\t\\\\ \\q\n"), &e, &b) < 0 &&
	    e.line == 2 && strstr(e.msg, "escape '\\q' in column 'b'") != NULL &&
	    strstr(e.msg, ": '\\\\ \\q'") != NULL);
	CHECK(rows(file("esc3.tsv", "a\n1\\\n"), &e, &b) < 0 && e.line == 2 &&
	    strstr(e.msg, "column 'a' ends with a lone backslash") != NULL);
	CHECK(rows(file("esc4.tsv", "a\\tb\\y\n1\n"), &e, &b) < 0 &&
	    e.line == 1 && strstr(e.msg, "escape '\\y' in the name of column "
	    "1") != NULL && strstr(e.msg, ": 'a\\tb\\y'") != NULL);
	CHECK(rows(file("dup.tsv", "a\ta\n"), &e, &b) < 0 && e.line == 1 &&
	    strstr(e.msg, "appears twice") != NULL);
	/* The first name that repeats an earlier one is named. */
	CHECK(rows(file("dup2.tsv", "b\ta\tc\ta\tb\n"), &e, &b) < 0 &&
	    strstr(e.msg, "column 'a' appears twice") != NULL);
	/* Many thousand columns: distinct, then one repeated far apart. */
	{
		struct buf w = { 0 };
		char cell[32];
		int i;

		for (i = 0; i < 20000; i++) {
			snprintf(cell, sizeof(cell), "%sc%d", i ? "\t" : "", i);
			buf_add(&w, cell, strlen(cell));
		}
		buf_add(&w, "\n", 1);
		CHECK(rows(file("wide.tsv", w.p), &e, &b) == 0);
		w.len--;
		buf_add(&w, "\tc17\tc18\n", 10);
		CHECK(rows(file("wide2.tsv", w.p), &e, &b) < 0 &&
		    strstr(e.msg, "column 'c17' appears twice") != NULL);
		buf_free(&w);
	}
	CHECK(rows(file("noname.tsv", "a\t\tb\n"), &e, &b) < 0 &&
	    strstr(e.msg, "column 2 has no name") != NULL);
	CHECK(rows(file("empty.tsv", ""), &e, &b) < 0 &&
	    strstr(e.msg, "empty input") != NULL);
	/* A last line without its LF: the file was cut short. */
	CHECK(rows(file("nolf.tsv", "a\n1\n2"), &e, &b) < 0 && e.line == 3 &&
	    e.status == EX_DATAERR && strstr(e.msg, "no line end") != NULL);
	CHECK(rows(file("nolfhead.tsv", "a\tb"), &e, &b) < 0 && e.line == 1 &&
	    strstr(e.msg, "no line end") != NULL);

	/* Several inputs: one header, the same everywhere. */
	two[0] = file("p1.tsv", "a\tb\n1\t2\n");
	two[1] = file("p2.tsv", "a\tb\n3\t4\n");
	CHECK(tsv_open(&r, two, 2, 0, &e) == 0 && tsv_col(&r, "b") == 1 &&
	    tsv_col(&r, "c") == -1);
	CHECK(tsv_next(&r, &e) == 1 && r.f[0].p[0] == '1');
	CHECK(tsv_next(&r, &e) == 1 && r.f[0].p[0] == '3' && r.lineno == 2);
	CHECK(tsv_next(&r, &e) == 0);
	tsv_close(&r);
	two[1] = file("p3.tsv", "b\ta\n3\t4\n");
	CHECK(tsv_open(&r, two, 2, 0, &e) == 0);
	CHECK(tsv_next(&r, &e) == 1);
	CHECK(tsv_next(&r, &e) < 0 && strstr(e.msg, "header differs") != NULL);
	tsv_close(&r);

	buf_free(&b);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 2;
	}
	return test_summary();
}
