/*
 * segment: cv-segment's work (see segment.h): compile each set against the
 * stream's header, then for every row evaluate the sets and write the row
 * as it was read with one column per set added (and the matched rule with
 * --explain).  Rows are passed through untouched, so nothing per row is
 * allocated or re-escaped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "io.h"
#include "num.h"
#include "rules.h"
#include "segment.h"
#include "tsv.h"

/*
 * The named segments of the R rfm package (version 0.3.0: its documented
 * score ranges, tried in its order, first match wins), then two rules for
 * the ten cells it leaves to "Others", so that every one of the 125
 * cells has a name.
 */
static const char rfm_en[] =
"# R, F and M scores 1-5 (r_score f_score m_score); first match wins.\n"
"Champions: r_score between 5 and 5 and f_score between 5 and 5 and m_score between 5 and 5\n"
"Potential Loyalist: r_score between 3 and 5 and f_score between 3 and 5 and m_score between 2 and 5\n"
"Loyal Customers: r_score between 2 and 4 and f_score between 2 and 4 and m_score between 2 and 4\n"
"Promising: r_score between 3 and 4 and f_score between 1 and 3 and m_score between 3 and 5\n"
"New Customers: r_score between 4 and 5 and f_score between 1 and 3 and m_score between 1 and 5\n"
"Can't Lose Them: r_score between 1 and 2 and f_score between 3 and 4 and m_score between 4 and 5\n"
"At Risk: r_score between 1 and 2 and f_score between 2 and 5 and m_score between 4 and 5\n"
"Need Attention: r_score between 1 and 3 and f_score between 3 and 5 and m_score between 3 and 5\n"
"About To Sleep: r_score between 2 and 3 and f_score between 1 and 3 and m_score between 1 and 4\n"
"Lost: r_score between 1 and 1 and f_score between 1 and 5 and m_score between 1 and 5\n"
"# The cells the package leaves to Others: frequent small spenders, and\n"
"# a single large purchase a while ago.\n"
"Loyal Customers: r_score between 2 and 5 and f_score between 4 and 5 and m_score between 1 and 2\n"
"About To Sleep: r_score = 2 and f_score = 1 and m_score = 5\n"
"Others: *\n";

static const char *const rfm_zh[][2] = {
	{ "Champions", "冠军客户" },
	{ "Potential Loyalist", "潜在忠诚客户" },
	{ "Loyal Customers", "忠诚客户" },
	{ "Promising", "有望客户" },
	{ "New Customers", "新客户" },
	{ "Can't Lose Them", "不能流失客户" },
	{ "At Risk", "流失风险客户" },
	{ "Need Attention", "需要关注客户" },
	{ "About To Sleep", "即将沉睡客户" },
	{ "Lost", "已流失客户" },
	{ "Others", "其他" },
	{ "High value", "高价值" },
	{ "Potential", "潜力" },
	{ "Secondary", "次价值" },
	{ "Low value", "低价值" },
	{ "Unrated", "未评估" },
	{ NULL, NULL }
};

static const char quadrant_en[] =
"# The value quadrants of cv-score (current value against potential).\n"
"High value: quadrant = 'high'\n"
"Potential: quadrant = 'potential'\n"
"Secondary: quadrant = 'secondary'\n"
"Low value: quadrant = 'low'\n"
"Unrated: *\n";

/*
 * Lifecycle against the customer's own rhythm: their usual gap between
 * visits, g = (tenure_days - recency_days) / (frequency - 1), held between
 * 30 and 365 days.  "recency <= k g" is written without the division,
 * recency (frequency - 1) <= k (tenure - recency), so that it is exact at
 * its boundary; with the bounds it reads
 *   recency <= 30 k  or  (recency <= 365 k  and  recency <= k g).
 * One-visit customers, who have no rhythm yet, are judged against fixed
 * days.
 */
#define WITHIN(k, lo, hi) "(recency_days <= " lo " or (recency_days <= " hi \
    " and recency_days * (frequency - 1) <= " k \
    " * (tenure_days - recency_days)))"
static const char lifecycle_head[] =
"# g, the usual gap: (tenure_days - recency_days) / (frequency - 1),\n"
"# held between 30 and 365; \"recency_days <= k g\" is written without\n"
"# the division so that it is exact.\n"
"new: tenure_days <= 90\n"
"active: frequency >= 2 and " WITHIN("1.5", "45", "547.5") "\n"
"cooling: frequency >= 2 and " WITHIN("2.5", "75", "912.5") "\n"
"lapsing: frequency >= 2 and " WITHIN("4", "120", "1460") "\n"
"lapsed: frequency >= 2 and " WITHIN("8", "240", "2920")
    " and recency_days <= 730\n"
"cooling: frequency = 1 and recency_days <= 180\n"
"lapsing: frequency = 1 and recency_days <= 365\n"
"lapsed: frequency = 1 and recency_days <= 730\n";
static const char lifecycle_join[] =
"# Members who have not bought yet: new for 90 days after joining.\n"
"new: first_date is empty and days_since(join_date) <= 90\n";
static const char lifecycle_tail[] = "lost: *\n";

static const char *const life_zh[][2] = {
	{ "new", "新客" },
	{ "active", "活跃" },
	{ "cooling", "降温" },
	{ "lapsing", "将流失" },
	{ "lapsed", "已沉睡" },
	{ "lost", "已流失" },
	{ NULL, NULL }
};

int
segment_builtin(const char *name)
{
	return strcmp(name, "rfm") == 0 || strcmp(name, "quadrant") == 0 ||
	    strcmp(name, "lifecycle") == 0;
}

/* Replace every "Name:" at a line start by its Chinese name. */
static void
translate(struct buf *b, const char *text, const char *const (*tab)[2])
{
	const char *s = text, *nl;
	int i;

	while (*s != '\0') {
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s);
		for (i = 0; *s != '#' && tab[i][0] != NULL; i++) {
			size_t k = strlen(tab[i][0]);

			if (strncmp(s, tab[i][0], k) == 0 && s[k] == ':') {
				buf_adds(b, tab[i][1]);
				s += k;
				break;
			}
		}
		buf_add(b, s, (size_t)(nl - s));
		if (*nl == '\n')
			buf_addc(b, '\n');
		s = *nl ? nl + 1 : nl;
	}
}

const char *
segment_builtin_text(const char *name, int zh, const char *const *cols,
    int ncol)
{
	static struct buf b;
	struct buf t = BUF_INIT;
	int i, join = 0;

	buf_reset(&b);
	if (strcmp(name, "rfm") == 0)
		buf_adds(&t, rfm_en);
	else if (strcmp(name, "quadrant") == 0)
		buf_adds(&t, quadrant_en);
	else {
		for (i = 0; i < ncol; i++)
			if (strcmp(cols[i], "join_date") == 0)
				join = 1;
		buf_adds(&t, lifecycle_head);
		if (join)
			buf_adds(&t, lifecycle_join);
		buf_adds(&t, lifecycle_tail);
	}
	if (zh)
		translate(&b, t.p, strcmp(name, "lifecycle") == 0 ? life_zh :
		    rfm_zh);
	else
		buf_add(&b, t.p, t.len);
	buf_free(&t);
	return b.p;
}

/* A compiled set and its tallies. */
struct set {
	char		*label;		/* for messages: the file or builtin */
	char		*column;
	char		*text;		/* the rule file, read before the input */
	size_t		 textlen;
	struct rules	*rules;
	int		 nnames;
	char		**names;	/* distinct segment names, in order */
	int		*nameof;	/* rule -> index in names */
	long long	*count;
	num_wide	*value;		/* sums of many amounts: no overflow */
	num_wide	 nonevalue;	/* of rows no rule names */
	struct cv_out	*split;		/* one per name, with --split */
};

static int
name_index(struct set *s, const char *name)
{
	int i;

	for (i = 0; i < s->nnames; i++)
		if (strcmp(s->names[i], name) == 0)
			return i;
	s->names = xreallocarray(s->names, (size_t)s->nnames + 1, sizeof(char *));
	s->names[s->nnames] = xstrdup(name);
	return s->nnames++;
}

static void
set_free(struct set *s)
{
	int i;

	rules_free(s->rules);
	free(s->text);
	for (i = 0; i < s->nnames; i++)
		free(s->names[i]);
	free(s->names);
	free(s->nameof);
	free(s->count);
	free(s->value);
	free(s->split);
	free(s->label);
	free(s->column);
}

/*
 * A file name for a segment: blanks become '-', odd characters '_',
 * quotes go; a name that would be hidden (a leading '.') or empty gets a
 * leading '_'.
 */
static void
file_name(struct buf *b, const char *dir, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;

	b->len = 0;
	buf_printf(b, "%s/", dir);
	for (; *p == '\'' || *p == '"'; p++)
		;
	if (*p == '.' || *p == '\0')
		buf_addc(b, '_');
	for (; *p != '\0'; p++) {
		if (*p == ' ')
			buf_addc(b, '-');
		else if (*p == '\'' || *p == '"')
			continue;
		else if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\' ||
		    *p == '*' || *p == '?' || *p == ':' || *p == '<' ||
		    *p == '>' || *p == '|')
			buf_addc(b, '_');
		else
			buf_addc(b, (char)*p);
	}
	buf_adds(b, ".tsv");
}

/*
 * --check: evaluate the first set on each of the 125 (r, f, m) score
 * cells and say which rule names it; cells only the catch-all takes are
 * reported.  Returns the exit status.
 */
static int
check_cells(const struct segment_opts *o, struct set *s, struct cv_out *out)
{
	const char *cols[] = { "r_score", "f_score", "m_score", "rfm" };
	struct tsv_field f[4];
	struct expr_ctx ctx;
	char v[4][4];
	int r, fq, m, k, unnamed = 0;

	(void)cols;
	ctx.asof = o->as_of;
	out_puts(out, "rfm\tsegment\trule_line\n");
	for (r = 1; r <= 5; r++)
		for (fq = 1; fq <= 5; fq++)
			for (m = 1; m <= 5; m++) {
				snprintf(v[0], 4, "%d", r);
				snprintf(v[1], 4, "%d", fq);
				snprintf(v[2], 4, "%d", m);
				snprintf(v[3], 4, "%d%d%d", r, fq, m);
				for (k = 0; k < 4; k++) {
					f[k].p = v[k];
					f[k].n = strlen(v[k]);
				}
				k = rules_match(s->rules, f, &ctx);
				out_puts(out, v[3]);
				out_putc(out, '\t');
				if (k >= 0)
					tsv_puts(out, s->rules->v[k].name);
				out_putc(out, '\t');
				if (k >= 0) {
					char n[32];

					snprintf(n, sizeof(n), "%ld",
					    s->rules->v[k].line);
					out_puts(out, n);
				}
				out_putc(out, '\n');
				if (k < 0 || s->rules->v[k].catchall) {
					unnamed++;
					cv_warnx("%s: cell %s is named by no rule%s",
					    s->label, v[3], k >= 0 ? " but the "
					    "catch-all" : "");
				}
			}
	if (!o->quiet)
		cv_warnx("%s: %d of 125 cells named by a rule", s->label,
		    125 - unnamed);
	return unnamed ? EX_DATAERR : 0;
}

/*
 * A rule left unknown on some rows because a value there could not be used
 * as it needs (text met by arithmetic, a date function or a number) may not
 * say what its author meant: name it, with the number of rows.
 */
static void
misfit_warnings(const struct set *s)
{
	const struct rule *ru;
	long n;
	int k;

	for (k = 0; k < s->rules->n; k++) {
		ru = &s->rules->v[k];
		if ((n = expr_misfits(ru->expr)) == 0)
			continue;
		cv_warnx("%s:%ld: rule '%s' was unknown on %ld row%s where a "
		    "value could not be used as it needs (text where a number "
		    "or a date is needed, a division by zero, an overflow)",
		    s->label, ru->line, ru->name, n, n == 1 ? "" : "s");
	}
}

/*
 * Compile set i against the columns of the stream named stream.  A
 * built-in set that finds no column of its own is read on the wrong
 * stream: a data error (65) at the stream's header; with no stream
 * (--check) it is a usage error.
 */
static int
compile(const struct segment_opts *o, int i, struct set *s,
    const char *const *cols, int ncol, const char *stream)
{
	const struct segment_set *g = &o->sets[i];
	struct expr_error err;
	const char *text;
	int k;

	if (g->rules != NULL) {
		s->label = xstrdup(g->rules);
		s->rules = s->text != NULL ? rules_parse(s->text, s->textlen,
		    cols, ncol, &err) : rules_load(g->rules, cols, ncol, &err);
	} else {
		struct buf b = BUF_INIT;

		buf_printf(&b, "built-in set '%s'", g->builtin);
		s->label = xstrdup(b.p);
		buf_free(&b);
		text = segment_builtin_text(g->builtin, o->zh, cols, ncol);
		s->rules = rules_parse(text, strlen(text), cols, ncol, &err);
	}
	if (s->rules == NULL) {
		if (g->rules != NULL)
			expr_warn(g->rules, &err);
		else if (strstr(err.e.msg, "unknown column") != NULL &&
		    stream != NULL) {
			cv_msgat(stream, 1, "the %s needs a customers stream "
			    "from cv-score: %s", s->label, err.e.msg);
			return EX_DATAERR;
		} else if (strstr(err.e.msg, "unknown column") != NULL)
			cv_warnx("the %s needs a customers stream from cv-score: "
			    "%s", s->label, err.e.msg);
		else
			expr_warn(s->label, &err);
		return err.e.status ? err.e.status : EX_USAGE;
	}
	if (g->column != NULL)
		s->column = xstrdup(g->column);
	else if (o->nsets == 1)
		s->column = xstrdup("segment");
	else {
		struct buf b = BUF_INIT;
		const char *base = g->rules != NULL ? g->rules : g->builtin;
		const char *sl = strrchr(base, '/'), *dot;

		base = sl ? sl + 1 : base;
		/* A hidden file's leading dot is not where its name ends. */
		while (*base == '.')
			base++;
		dot = strchr(base, '.');
		buf_adds(&b, "segment_");
		buf_add(&b, base, dot ? (size_t)(dot - base) : strlen(base));
		s->column = xstrdup(b.p);
		buf_free(&b);
	}
	s->nameof = xcalloc((size_t)s->rules->n, sizeof(int));
	for (k = 0; k < s->rules->n; k++)
		s->nameof[k] = name_index(s, s->rules->v[k].name);
	s->count = xcalloc((size_t)s->nnames + 1, sizeof(long long));
	s->value = xcalloc((size_t)s->nnames + 1, sizeof(num_wide));
	return 0;
}

/* Columns a string takes on a terminal: CJK characters take two. */
static int
width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0;

	for (; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		w += *p >= 0xe1 && *p < 0xf0 ? 2 : 1;
	}
	return w;
}

/* Customers and value per segment, on stderr. */
static void
summary(struct set *s, long long rows, const char *vname)
{
	num_wide total = 0;
	char a[48];
	int i, w = 12;
	long long none = rows;

	total = s->nonevalue;
	for (i = 0; i < s->nnames; i++) {
		total += s->value[i];
		none -= s->count[i];
		if (width(s->names[i]) > w)
			w = width(s->names[i]);
	}
	money_fmt_wide(total, a);
	cv_warnx("%s: %lld customers, %s %s", s->column, rows, vname, a);
	for (i = 0; i <= s->nnames; i++) {
		const char *name = i < s->nnames ? s->names[i] : "(none)";
		long long n = i < s->nnames ? s->count[i] : none;

		if (i == s->nnames && none == 0)
			break;
		money_fmt_wide(i < s->nnames ? s->value[i] : s->nonevalue, a);
		fprintf(stderr, "  %s%*s %9lld %6.1f%%  %14s\n", name,
		    w - width(name), "", n, rows ? 100.0 * (double)n /
		    (double)rows : 0.0, a);
	}
}

/*
 * The columns set i adds must be new: not in the stream, not added by an
 * earlier set (nor their --explain columns).
 */
static int
column_clash(const struct segment_opts *o, struct set *sets, int i,
    const struct tsv_reader *r)
{
	struct buf mine = BUF_INIT, other = BUF_INIT;
	int k, j, x, y, status = 0;

	for (x = 0; x <= (o->explain ? 1 : 0) && status == 0; x++) {
		mine.len = 0;
		buf_printf(&mine, "%s%s", sets[i].column, x ? "_rule" : "");
		for (k = 0; k < r->ncol; k++)
			if (strcmp(r->cols[k], mine.p) == 0) {
				cv_msgat(r->name, 1, "the stream has a column "
				    "'%s' already; name the new one with "
				    "--column", mine.p);
				status = EX_DATAERR;
				break;
			}
		for (j = 0; j < i && status == 0; j++)
			for (y = 0; y <= (o->explain ? 1 : 0); y++) {
				other.len = 0;
				buf_printf(&other, "%s%s", sets[j].column,
				    y ? "_rule" : "");
				if (strcmp(other.p, mine.p) == 0) {
					cv_warnx("%s and %s would both write a "
					    "column '%s'; name one with --column",
					    sets[j].label, sets[i].label, mine.p);
					status = EX_USAGE;
					break;
				}
			}
	}
	buf_free(&mine);
	buf_free(&other);
	return status;
}

/*
 * Read every rule file and tell what is wrong with it that needs no
 * header, before the input is opened: a missing file or a typo is then
 * told at once, not after the whole upstream command (or never, waiting
 * on a terminal).  Unknown columns are found by compile().
 */
static int
read_rules(const struct segment_opts *o, struct set *sets)
{
	struct expr_error err;
	int i;

	for (i = 0; i < o->nsets; i++) {
		if (o->sets[i].rules == NULL)
			continue;
		if (rules_read(o->sets[i].rules, &sets[i].text,
		    &sets[i].textlen, &err) < 0 ||
		    rules_check(sets[i].text, sets[i].textlen, &err) < 0) {
			expr_warn(o->sets[i].rules, &err);
			return err.e.status ? err.e.status : EX_USAGE;
		}
	}
	return 0;
}

int
segment_run(const struct segment_opts *o, char **files, int nfiles)
{
	struct tsv_reader r;
	struct cv_error e;
	struct cv_out out;
	struct set sets[SEG_MAXSETS];
	struct expr_ctx ctx;
	struct buf b = BUF_INIT;
	int i, k, rc, status = 0, vcol = -1, haveout = 0, nsplit = 0, made = 0;
	struct stat st;
	long long rows = 0;
	const char *vname = "value";

	memset(sets, 0, sizeof(sets));
	ctx.asof = o->as_of;
	if (o->check) {
		static const char *const cols[] = { "r_score", "f_score",
		    "m_score", "rfm" };

		if ((status = compile(o, 0, &sets[0], cols, 4, NULL)) != 0) {
			set_free(&sets[0]);
			return status;
		}
		if (out_open(&out, o->out, 0, &e) < 0) {
			cv_warnx("%s", e.msg);
			set_free(&sets[0]);
			return e.status;
		}
		status = check_cells(o, &sets[0], &out);
		if (out_close(&out, &e) < 0) {
			cv_warnx("%s", e.msg);
			status = e.status;
		}
		set_free(&sets[0]);
		return status;
	}
	if ((status = read_rules(o, sets)) != 0) {
		for (i = 0; i < o->nsets; i++)
			set_free(&sets[i]);
		return status;
	}
	/*
	 * Every input is there to read before any work (a mistyped name in
	 * a nightly job's list), though each is opened only when reached.
	 */
	for (i = 0, k = 0; i < nfiles; i++)
		if (in_check(files[i], &e) < 0) {
			cv_warnx("%s", e.msg);
			k = 1;
		}
	if (k) {
		for (i = 0; i < o->nsets; i++)
			set_free(&sets[i]);
		return EX_NOINPUT;
	}
	/*
	 * The outputs before the input: upstream (cv-score) writes only
	 * when it is done, and a terminal perhaps never, so a bad -o or
	 * --split is told now, not then.  The --split files are named
	 * after the segments, known once the rules meet the header.
	 */
	if (o->split == NULL || o->out != NULL) {
		if (out_open(&out, o->out, 0, &e) < 0) {
			cv_warnx("%s", e.msg);
			for (i = 0; i < o->nsets; i++)
				set_free(&sets[i]);
			return e.status;
		}
		haveout = 1;
	}
	if (o->split != NULL) {
		if (mkdir(o->split, 0777) == 0)
			made = 1;
		else if (errno != EEXIST || stat(o->split, &st) < 0 ||
		    !S_ISDIR(st.st_mode)) {
			if (errno == EEXIST)
				cv_warnx("--split: %s: not a folder", o->split);
			else
				cv_warn("--split: %s", o->split);
			if (haveout)
				out_abort(&out);
			for (i = 0; i < o->nsets; i++)
				set_free(&sets[i]);
			return EX_CANTCREAT;
		}
	}
	e.line = 0;
	if (tsv_open(&r, files, nfiles, IN_THREAD, &e) < 0) {
		cv_report(r.name, &e);
		status = e.status;
		goto abort;
	}
	for (i = 0; i < o->nsets; i++) {
		if ((status = compile(o, i, &sets[i], (const char *const *)r.cols,
		    r.ncol, r.name)) != 0)
			goto abort;
		if ((status = column_clash(o, sets, i, &r)) != 0)
			goto abort;
	}
	if ((vcol = tsv_col(&r, "value_now")) >= 0)
		vname = "value_now";
	else if ((vcol = tsv_col(&r, "monetary")) >= 0)
		vname = "monetary";
	/* The header: the stream's own, then one column per set. */
	tsv_buf_put(&b, r.cols[0], strlen(r.cols[0]));
	for (k = 1; k < r.ncol; k++) {
		buf_addc(&b, '\t');
		tsv_buf_put(&b, r.cols[k], strlen(r.cols[k]));
	}
	for (i = 0; i < o->nsets; i++) {
		buf_addc(&b, '\t');
		tsv_buf_put(&b, sets[i].column, strlen(sets[i].column));
		if (o->explain) {
			buf_addc(&b, '\t');
			tsv_buf_put(&b, sets[i].column, strlen(sets[i].column));
			buf_adds(&b, "_rule");
		}
	}
	buf_addc(&b, '\n');
	if (haveout)
		out_write(&out, b.p, b.len);
	if (o->split != NULL) {
		struct buf fn = BUF_INIT;
		struct set *s = &sets[0];

		s->split = xcalloc((size_t)s->nnames + 1, sizeof(struct cv_out));
		for (k = 0; k < s->nnames; k++) {
			struct buf fk = BUF_INIT;
			int j;

			file_name(&fn, o->split, s->names[k]);
			for (j = 0; j < k; j++) {
				file_name(&fk, o->split, s->names[j]);
				if (strcmp(fk.p, fn.p) == 0)
					break;
			}
			buf_free(&fk);
			if (j < k) {
				cv_warnx("%s: segments '%s' and '%s' would both "
				    "be written to %s", s->label, s->names[j],
				    s->names[k], fn.p);
				status = EX_USAGE;
				break;
			}
		}
		for (k = 0; k < s->nnames && status == 0; k++) {
			file_name(&fn, o->split, s->names[k]);
			if (out_open(&s->split[k], fn.p, 0, &e) < 0) {
				cv_warnx("%s", e.msg);
				status = e.status;
				break;
			}
			nsplit++;
			out_write(&s->split[k], b.p, b.len);
		}
		buf_free(&fn);
		if (status != 0)
			goto abort;
	}
	while ((rc = tsv_next(&r, &e)) == 1) {
		int64_t v = 0;
		int first = -1;

		rows++;
		if (vcol >= 0 && r.f[vcol].n > 0 &&
		    num_parse(r.f[vcol].p, r.f[vcol].n, 2, &v) != 0) {
			/* The summary adds it up: never count it as 0. */
			char q[CV_QUOTE_MAX];

			rc = cv_failat(&e, EX_DATAERR, r.lineno, "%s '%s' is "
			    "not an amount of money", vname, cv_quote(q,
			    sizeof(q), r.f[vcol].p, r.f[vcol].n));
			break;
		}
		b.len = 0;
		for (i = 0; i < o->nsets; i++) {
			struct set *s = &sets[i];
			int m = rules_match(s->rules, r.f, &ctx);

			buf_addc(&b, '\t');
			if (m >= 0) {
				int n = s->nameof[m];

				tsv_buf_put(&b, s->names[n], strlen(s->names[n]));
				s->count[n]++;
				s->value[n] += v;
				if (i == 0)
					first = n;
			} else
				s->nonevalue += v;
			if (o->explain) {
				buf_addc(&b, '\t');
				if (m >= 0)
					tsv_buf_put(&b, s->rules->v[m].src,
					    strlen(s->rules->v[m].src));
			}
		}
		buf_addc(&b, '\n');
		if (haveout) {
			out_write(&out, r.raw, r.rawlen);
			out_write(&out, b.p, b.len);
		}
		if (o->split != NULL && first >= 0) {
			out_write(&sets[0].split[first], r.raw, r.rawlen);
			out_write(&sets[0].split[first], b.p, b.len);
		}
	}
	if (rc < 0) {
		cv_report(r.name, &e);
		status = e.status;
		goto abort;
	}
	if (haveout && out_close(&out, &e) < 0) {
		cv_warnx("%s", e.msg);
		status = e.status;
		haveout = 0;
		goto abort;
	}
	haveout = 0;
	/*
	 * After the first --split file that cannot be written (a full
	 * disk), the rest are not replaced either, and are named: each file
	 * is then either the whole new list or the whole old one.
	 */
	for (k = 0; k < nsplit && status == 0; k++)
		if (out_close(&sets[0].split[k], &e) < 0) {
			cv_warnx("%s", e.msg);
			status = e.status;
		}
	if (k < nsplit) {
		struct buf kept = BUF_INIT;
		int nkept = nsplit - k;

		for (; k < nsplit; k++) {
			buf_printf(&kept, "%s%s", kept.len ? ", " : "",
			    sets[0].split[k].name);
			out_abort(&sets[0].split[k]);
		}
		cv_warnx("--split: %d more file%s not replaced: %s", nkept,
		    nkept == 1 ? "" : "s", kept.p);
		buf_free(&kept);
	}
	nsplit = 0;
	for (i = 0; i < o->nsets; i++)
		misfit_warnings(&sets[i]);
	if (!o->quiet)
		for (i = 0; i < o->nsets; i++)
			summary(&sets[i], rows, vname);
abort:
	if (haveout)
		out_abort(&out);
	for (k = 0; k < nsplit; k++)
		out_abort(&sets[0].split[k]);
	/* A folder made for a run that wrote nothing into it goes again. */
	if (status != 0 && made)
		(void)rmdir(o->split);
	tsv_close(&r);
	buf_free(&b);
	for (i = 0; i < o->nsets; i++)
		set_free(&sets[i]);
	return status;
}
