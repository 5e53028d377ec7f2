/*
 * cli: option helpers shared by the commands (see cli.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "date.h"
#include "diag.h"
#include "io.h"

static const char *usage_text = "";

void
cli_init(const char *argv0, const char *usage)
{
	int fd;

	cv_setprog(argv0);
	usage_text = usage;
	/*
	 * A standard descriptor closed at the start would be the next file
	 * opened: a temporary output read as standard input, messages
	 * written into an output.  Hold each one with /dev/null opened the
	 * wrong way round, so that using it still fails as a closed one
	 * does (a read of standard input, a write of the output: 74).
	 */
	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) != fd)
			exit(EX_OSERR);
}

static void
print_usage(FILE *f)
{
	fprintf(f, "usage: %s\n", usage_text);
}

/*
 * The element of argv that getopt_long() takes its next option from,
 * when it is a long one: from optind on (an option cluster in progress
 * is argv[optind] itself, and operands before the next option are
 * skipped), the first element that is an option, if it begins with "--".
 */
static const char *
long_elem(int argc, char *const argv[], int from)
{
	int i;

	for (i = from > 0 ? from : 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			return NULL;
		if (a[0] == '-' && a[1] != '\0')
			return a[1] == '-' ? a : NULL;
	}
	return NULL;
}

/*
 * Why getopt_long() refused the long option a ("--name" or
 * "--name=value"): it is unknown, ambiguous or takes no value.  Exits.
 */
static void
bad_long(const char *a, const struct option *longopts, int missing)
{
	const char *eq = strchr(a, '=');
	size_t n = eq != NULL ? (size_t)(eq - a) : strlen(a), len;
	const struct option *o, *hit = NULL;
	char list[256];
	int nhit = 0;

	if (missing)
		cli_bad("option '%.*s' needs a value", (int)n, a);
	list[0] = '\0';
	len = n - 2;
	for (o = longopts; o != NULL && o->name != NULL; o++) {
		if (strncmp(o->name, a + 2, len) != 0)
			continue;
		if (strlen(o->name) == len) {
			hit = o;
			nhit = 1;
			break;
		}
		if (hit == NULL || hit->has_arg != o->has_arg ||
		    hit->flag != o->flag || hit->val != o->val) {
			if (strlen(list) + strlen(o->name) + 5 < sizeof(list))
				snprintf(list + strlen(list), sizeof(list) -
				    strlen(list), "%s--%s", nhit > 0 ? ", " : "",
				    o->name);
			nhit++;
		}
		if (hit == NULL)
			hit = o;
	}
	if (nhit > 1)
		cli_bad("option '%.*s' is ambiguous: %s", (int)n, a, list);
	if (hit != NULL && eq != NULL && hit->has_arg == no_argument)
		cli_bad("option '--%s' takes no value", hit->name);
	cli_bad("unknown option '%.*s'", (int)n, a);
}

/*
 * An option letter that is not ASCII: getopt gives its first byte (as a
 * negative char) and has not moved past the argument when more bytes
 * follow, so the argument is the current one or the one before.  The
 * letter is named whole, as typed.
 */
static noreturn void
bad_byte(int argc, char *const argv[], unsigned char b)
{
	const char *p = NULL;
	size_t n;
	int k;

	for (k = optind; k >= optind - 1 && p == NULL; k--)
		if (k > 0 && k < argc && argv[k][0] == '-' &&
		    argv[k][1] != '-')
			p = strchr(argv[k] + 1, (char)b);
	if (p == NULL)
		cli_bad("unknown option '%s'", argv[optind - 1]);
	for (n = 1; (p[n] & 0xc0) == 0x80; n++)
		;
	cli_bad("unknown option '-%.*s'", (int)n, p);
}

int
cli_getopt(int argc, char *const argv[], const char *shortopts,
    const struct option *longopts)
{
	char opts[128];
	const char *a;
	int ch, from = optind;

	/* A leading ':' makes a missing value ':' rather than '?'. */
	snprintf(opts, sizeof(opts), ":%s", shortopts);
	opterr = 0;
	ch = getopt_long(argc, argv, opts, longopts, NULL);
	if (ch != ':' && ch != '?')
		return ch;
	if ((a = long_elem(argc, argv, from)) != NULL)
		bad_long(a, longopts, ch == ':');
	if (ch == ':')
		cli_bad("option '-%c' needs a value", optopt);
	if (optopt > 0 && optopt < 128)
		cli_bad("unknown option '-%c'", optopt);
	bad_byte(argc, argv, (unsigned char)optopt);
}

void
cli_help(const char *more)
{
	print_usage(stdout);
	if (more != NULL)
		fputs(more, stdout);
	else
		printf("See %s(1) for the options and what they do.\n",
		    cv_progname);
	if (fflush(stdout) != 0)
		cv_err(EX_IOERR, "stdout");
	exit(0);
}

void
cli_version(void)
{
	printf("%s (cv) %s\n", cv_progname, CV_VERSION);
	if (fflush(stdout) != 0)
		cv_err(EX_IOERR, "stdout");
	exit(0);
}

void
cli_bad(const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cv_warnx("%s", msg);
	print_usage(stderr);
	exit(EX_USAGE);
}

int32_t
cli_date(const char *opt, const char *val)
{
	int32_t d;

	if (strcmp(val, "today") == 0)
		return date_today();
	if (date_parse(val, strlen(val), &d) < 0)
		cli_bad("%s: '%s' is not a date (YYYY-MM-DD)", opt, val);
	return d;
}

long long
cli_int(const char *opt, const char *val, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(val, &end, 10);
	if (*val == '\0' || *end != '\0' || errno != 0)
		cli_bad("%s: '%s' is not a whole number", opt, val);
	if (v < min || v > max)
		cli_bad("%s: %s is out of range (%lld to %lld)", opt, val, min,
		    max);
	return v;
}

double
cli_double(const char *opt, const char *val, double min, double max,
    int pct_ok)
{
	char *end;
	double v;
	int pct = 0;

	/*
	 * Decimal notation only: strtod() would also take "0x10", "inf"
	 * and leading blanks.
	 */
	if (val[strspn(val, "0123456789.eE+-%")] != '\0')
		cli_bad("%s: '%s' is not a number", opt, val);
	errno = 0;
	v = strtod(val, &end);
	if (pct_ok != CLI_PCT_NO && end != val && *end == '%' &&
	    end[1] == '\0') {
		pct = pct_ok == CLI_PCT_DIVIDES;
		end++;
	}
	if (*val == '\0' || *end != '\0' || errno != 0 || !isfinite(v))
		cli_bad("%s: '%s' is not a number", opt, val);
	if (pct ? v < min * 100 || v > max * 100 : v < min || v > max) {
		if (max == HUGE_VAL)
			cli_bad("%s: %s is out of range (at least %g%s)", opt,
			    val, pct ? min * 100 : min, pct ? "%" : "");
		cli_bad("%s: %s is out of range (%g%s to %g%s)", opt, val,
		    pct ? min * 100 : min, pct ? "%" : "",
		    pct ? max * 100 : max, pct ? "%" : "");
	}
	return pct ? v / 100.0 : v;
}

void
cli_push(char ***list, int *n, char *val)
{
	*list = xreallocarray(*list, (size_t)*n + 1, sizeof(char *));
	(*list)[(*n)++] = val;
}

double
cli_wait(const char *val)
{
	return cli_double("--wait", val, 0, WAIT_MAX, CLI_PCT_NO);
}

void
cli_db_operand(const char **dir, int *argc, char ***argv, int writer)
{
	struct stat sb;

	if (*dir != NULL || *argc == 0)
		return;
	/*
	 * A reader takes no files with --db, so a name that does not exist
	 * is the store, to be reported missing as such.
	 */
	if (writer == 2 || (stat((*argv)[0], &sb) == 0 ? S_ISDIR(sb.st_mode) :
	    (errno == ENOENT && (!writer || *argc > 1)))) {
		*dir = (*argv)[0];
		(*argc)--;
		(*argv)++;
	}
}

int
cli_isatty(int fd)
{
	return isatty(fd);
}

void
cli_outputs_apart(const char *opt, const char *other, const char *out)
{
	if (other == NULL || !out_same(out, other))
		return;
	if (strcmp(other, "-") == 0 || out == NULL || strcmp(out, "-") == 0)
		cli_bad("%s and the output both go to standard output", opt);
	cli_bad("%s and -o name the same file '%s'", opt, other);
}
