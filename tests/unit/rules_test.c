/*
 * Unit tests for lib/rules.c: comments, continuation inside parentheses,
 * catch-alls, duplicate names, UTF-8 names, first match wins, and the
 * errors with their line:column in the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "date.h"
#include "rules.h"
#include "test.h"

static const char *const cols[] = {
	"customer_id", "grade", "monetary", "p_alive", "last_date", "name"
};
#define NCOL ((int)(sizeof(cols) / sizeof(cols[0])))

static struct tsv_field row[NCOL];
static struct expr_ctx ctx;

static void
setrow(const char *grade, const char *monetary, const char *p_alive,
    const char *last_date)
{
	const char *v[NCOL];
	int i;

	v[0] = "C001";
	v[1] = grade;
	v[2] = monetary;
	v[3] = p_alive;
	v[4] = last_date;
	v[5] = "";
	for (i = 0; i < NCOL; i++) {
		row[i].p = (char *)v[i];
		row[i].n = strlen(v[i]);
	}
}

static struct rules *
P(const char *text, struct expr_error *err)
{
	return rules_parse(text, strlen(text), cols, NCOL, err);
}

/* The error of a text that must not parse, as "line:col: message". */
static const char *
E(const char *text)
{
	static char buf[700];
	struct expr_error err;
	struct rules *rs;

	if ((rs = P(text, &err)) != NULL) {
		rules_free(rs);
		return "(parsed)";
	}
	snprintf(buf, sizeof(buf), "%ld:%ld: %s", err.e.line, err.col,
	    err.e.msg);
	return buf;
}

/* Name of the rule that matches the row set by setrow(), or "-". */
static const char *
M(struct rules *rs)
{
	int i = rs != NULL ? rules_match(rs, row, &ctx) : -1;

	return i < 0 ? "-" : rs->v[i].name;
}

static const char sample[] =
    "\xef\xbb\xbf# Segments for the nightly run.\n"
    "\n"
    "高价值: grade = 'A' and p_alive >= 0.7   # best customers\n"
    "   # an indented comment line\n"
    "at_risk: (grade in ('A', 'B')\n"
    "          and days_since(last_date) > 60)  # gone quiet\n"
    "vip:     monetary >= 10000\n"
    "vip:     monetary >= 5000 and grade = 'A'\n"
    "hash:    name = 'a#b'   # the '#' in quotes is not a comment\n"
    "lapsed:  (\n"
    "    days_since(last_date) > 180\n"
    "\n"
    "    # blank and comment lines inside are fine\n"
    "    or last_date is empty\n"
    ")\r\n"
    "other:   *\n";

static void
parsing(void)
{
	struct expr_error err;
	struct rules *rs;

	rs = P(sample, &err);
	CHECK(rs != NULL);
	if (rs == NULL) {
		printf("%ld:%ld: %s\n", err.e.line, err.col, err.e.msg);
		return;
	}
	CHECK(rs->n == 7);
	CHECK_STR(rs->v[0].name, "高价值");
	CHECK(rs->v[0].line == 3);
	CHECK_STR(rs->v[0].src, "grade = 'A' and p_alive >= 0.7");
	CHECK_STR(rs->v[1].name, "at_risk");
	CHECK(rs->v[1].line == 5);
	CHECK_STR(rs->v[1].src, "(grade in ('A', 'B') and "
	    "days_since(last_date) > 60)");
	CHECK_STR(rs->v[2].name, "vip");
	CHECK_STR(rs->v[3].name, "vip");	/* duplicates are allowed */
	CHECK(rs->v[3].line == 8);
	CHECK_STR(rs->v[4].name, "hash");
	CHECK_STR(rs->v[4].src, "name = 'a#b'");
	CHECK_STR(rs->v[5].name, "lapsed");
	CHECK(rs->v[5].line == 10);
	CHECK_STR(rs->v[5].src, "( days_since(last_date) > 180 or "
	    "last_date is empty )");
	CHECK_STR(rs->v[6].name, "other");
	CHECK(rs->v[6].catchall && !rs->v[5].catchall);
	CHECK_STR(rs->v[6].src, "*");
	CHECK(rules_has_catchall(rs));
	CHECK(rules_use_asof(rs));

	/* first match wins */
	setrow("A", "12000.00", "0.80", "2026-11-01");
	CHECK_STR(M(rs), "高价值");
	setrow("A", "12000.00", "0.50", "2026-08-01");
	CHECK_STR(M(rs), "at_risk");
	setrow("A", "12000.00", "0.50", "2026-11-01");
	CHECK_STR(M(rs), "vip");
	CHECK(rules_match(rs, row, &ctx) == 2);
	setrow("A", "6000.00", "0.50", "2026-11-01");
	CHECK(rules_match(rs, row, &ctx) == 3);
	setrow("C", "100.00", "0.10", "2026-01-01");
	CHECK_STR(M(rs), "lapsed");
	/* missing values never match by accident: p_alive empty */
	setrow("A", "100.00", "", "2026-11-01");
	CHECK_STR(M(rs), "other");
	setrow("C", "100.00", "0.10", "");
	CHECK_STR(M(rs), "lapsed");
	setrow("C", "100.00", "0.10", "2026-11-20");
	CHECK(rules_match(rs, row, &ctx) == 6);
	rules_free(rs);

	/* `true` is a catch-all too; without one, nothing may match */
	rs = P("a: grade = 'A'\nrest: TRUE\n", &err);
	CHECK(rs != NULL && rs->n == 2 && rs->v[1].catchall &&
	    rules_has_catchall(rs) && !rules_use_asof(rs));
	rules_free(rs);
	rs = P("a: grade = 'A'\nb: false\n", &err);
	CHECK(rs != NULL && !rules_has_catchall(rs));
	setrow("B", "1", "0.1", "2026-01-01");
	CHECK_STR(M(rs), "-");
	rules_free(rs);
	/* no newline at the end, CR LF, indented rules, odd names */
	rs = P("  high value : monetary > 1000\r\nlow-value:monetary <= 1000",
	    &err);
	CHECK(rs != NULL && rs->n == 2);
	if (rs != NULL && rs->n == 2) {
		CHECK_STR(rs->v[0].name, "high value");
		CHECK_STR(rs->v[1].name, "low-value");
		CHECK_STR(rs->v[1].src, "monetary <= 1000");
		setrow("B", "1000", "0.1", "2026-01-01");
		CHECK_STR(M(rs), "low-value");
	}
	rules_free(rs);
	/* a ')' inside quotes does not close anything */
	rs = P("a: (name = ')'\n or name = 'x')\nb: *\n", &err);
	CHECK(rs != NULL && rs->n == 2 && rs->v[1].line == 3);
	rules_free(rs);
	rs = P("a: name in ('(', \"(\", `name`)\nb: *\n", &err);
	CHECK(rs != NULL && rs->n == 2);
	rules_free(rs);
}

static void
errors(void)
{
	CHECK_STR(E(""), "0:0: no rules");
	CHECK_STR(E("# nothing but comments\n\n   \n"), "0:0: no rules");
	CHECK_STR(E("a: grade = 'A'\nb: monetray > 3\n"),
	    "2:4: unknown column 'monetray' (did you mean 'monetary'?)");
	CHECK_STR(E("高价值: grade = 'A' and dayssince(last_date) > 3\n"),
	    "1:22: unknown function 'dayssince' (did you mean 'days_since'?)");
	CHECK_STR(E("a: (grade = 'A'\n  and foo = 1)\n"),
	    "2:7: unknown column 'foo'");
	CHECK_STR(E("a: grade = 'A'\ngrade = 'B'\n"),
	    "2:1: expected 'name: expression'");
	CHECK_STR(E(": grade = 'A'\n"), "1:1: a rule needs a name before ':'");
	CHECK_STR(E("a:\n"), "1:3: empty expression");
	CHECK_STR(E("a: # nothing\n"), "1:3: empty expression");
	CHECK_STR(E("a: grade = 'A' and\n   monetary > 3\n"),
	    "1:19: expected a value after 'and' (a rule goes on to the next "
	    "line only inside parentheses)");
	CHECK_STR(E("a: grade = 'A'\n   and monetary > 3\n"),
	    "2:4: expected 'name: expression' (a rule goes on to the next "
	    "line only inside parentheses)");
	CHECK_STR(E("a: (grade = 'A'\nb: monetary > 3\n"),
	    "1:4: '(' is not closed before the next rule, on line 2");
	CHECK_STR(E("a: (grade = 'A'\nb: (monetary > 3\n"),
	    "1:4: '(' is not closed before the next rule, on line 2");
	CHECK_STR(E("a: grade in ('A',\n 'B'\n"), "1:13: '(' is never closed");
	CHECK_STR(E("a: (name = 'x\n  or 1 = 1)\n"),
	    "1:12: unterminated string");
	CHECK_STR(E("a: name ~ '[(]'\nb: name ~ '[x'\n"),
	    "2:11: bad pattern '[x' at offset 2: missing terminating ] for "
	    "character class");
	CHECK_STR(E("a: grade = 'A'\nrest: *\nb: grade = 'B'\n"),
	    "3:1: rule 'b' can never match: the catch-all rule 'rest' on line "
	    "2 comes before it");
	CHECK_STR(E("rest: true\nb: grade = 'B'\n"),
	    "2:1: rule 'b' can never match: the catch-all rule 'rest' on line "
	    "1 comes before it");
	CHECK_STR(E("a: * and grade = 'A'\n"),
	    "1:4: expected a value, found '*'");
	CHECK_STR(E("a: monetary\n"), "1:4: column 'monetary' is a value, "
	    "not a condition: compare it with something");
	CHECK_STR(E("a: grade = 'A'\n\xb8\xdf: *\n"), "2:1: the text is "
	    "not UTF-8 here (saved as GBK? save it as UTF-8)");	/* 高 */
	/* a NUL in a name would cut it short */
	{
		static const char t[] = "a: grade = 'A'\nvip\0 old: grade = 'B'\n";
		struct expr_error err;
		struct rules *rs = rules_parse(t, sizeof(t) - 1, cols, NCOL,
		    &err);

		CHECK(rs == NULL && err.e.line == 2 && err.col == 4 &&
		    err.e.status == EX_USAGE &&
		    strcmp(err.e.msg, "unexpected '\\x00' in the rule's name")
		    == 0);
		rules_free(rs);
	}
	/* a BOM does not shift the columns of line 1 */
	CHECK_STR(E("\xef\xbb\xbf" "a: zz = 1\n"), "1:4: unknown column 'zz'");
}

/* rules_check(): what needs no header, as "line:col: message". */
static const char *
C(const char *text)
{
	static char buf[700];
	struct expr_error err;

	if (rules_check(text, strlen(text), &err) == 0)
		return err.e.msg[0] == '\0' ? "(ok)" : "(ok, with a message)";
	snprintf(buf, sizeof(buf), "%ld:%ld: %s", err.e.line, err.col,
	    err.e.msg);
	return buf;
}

static void
early(void)
{
	/* Unknown columns wait for the header; so does a function name
	   that the header may make a column. */
	CHECK_STR(C(sample), "(ok)");
	CHECK_STR(C("a: nosuch = 1 and `城市` = 'x'\nb: *\n"), "(ok)");
	CHECK_STR(C("a: grade(1) = 1\n"), "(ok)");
	CHECK_STR(C("a: nosuch(1) = 1\nb: 'x\n"), "(ok)");
	/* Everything else is found, as with the header. */
	CHECK_STR(C("a: nosuch = 'abc\n"), "1:13: unterminated string");
	CHECK_STR(C("a: nosuch\n"), "1:4: column 'nosuch' is a value, not a "
	    "condition: compare it with something");
	CHECK_STR(C("a: `x y` or 1 = 1\n"), "1:4: column 'x y' is a value, "
	    "not a condition: compare it with something");
	CHECK_STR(C("a: abs(x) = 2026-01-01\n"),
	    "1:11: cannot compare a number with a date");
	CHECK_STR(C("a: abs(grade) = 2026-01-01\n"),
	    E("a: abs(grade) = 2026-01-01\n"));
	CHECK_STR(C("a: nosuch = 1\nrest: *\nb: x = 2\n"), "3:1: rule 'b' "
	    "can never match: the catch-all rule 'rest' on line 2 comes "
	    "before it");
	CHECK_STR(C("a: (x = 1\nb: x = 2\n"), "1:4: '(' is not closed before "
	    "the next rule, on line 2");
	CHECK_STR(C("# nothing\n"), "0:0: no rules");
	CHECK_STR(C("a: days_since(x, 1) > 3\n"), E("a: days_since(grade, 1) "
	    "> 3\n"));
	CHECK_STR(C("a: rounde(x) > 3\n"), "(ok)");
}

static void
files(void)
{
	char path[] = "/tmp/rules_testXXXXXX";
	struct expr_error err;
	struct rules *rs;
	FILE *fp;
	int fd;

	rs = rules_load("/nonexistent/rules.txt", cols, NCOL, &err);
	CHECK(rs == NULL && err.e.status == EX_NOINPUT && err.e.line == 0);
	if ((fd = mkstemp(path)) < 0 || (fp = fdopen(fd, "w")) == NULL) {
		CHECK(0);
		return;
	}
	fputs(sample, fp);
	fclose(fp);
	rs = rules_load(path, cols, NCOL, &err);
	CHECK(rs != NULL && rs->n == 7 && rules_has_catchall(rs));
	rules_free(rs);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs("a: grade = 'A'\n\nb: grade = 'B' and\n", fp);
		fclose(fp);
	}
	rs = rules_load(path, cols, NCOL, &err);
	CHECK(rs == NULL && err.e.status == EX_USAGE && err.e.line == 3 &&
	    err.col == 19);
	/* rules_read(): the text whole; a missing file is EX_NOINPUT */
	{
		char *text;
		size_t len;

		CHECK(rules_read(path, &text, &len, &err) == 0 &&
		    len == strlen("a: grade = 'A'\n\nb: grade = 'B' and\n") &&
		    text[len] == '\0' && strncmp(text, "a: grade", 8) == 0);
		free(text);
		CHECK(rules_read("/nonexistent/rules.txt", &text, &len,
		    &err) < 0 && err.e.status == EX_NOINPUT && text == NULL);
		CHECK(rules_read("/tmp", &text, &len, &err) < 0 &&
		    err.e.status == EX_NOINPUT);
	}
	unlink(path);
}

int
main(void)
{
	date_parse("2026-11-21", 10, &ctx.asof);
	parsing();
	errors();
	early();
	files();
	return test_summary();
}
