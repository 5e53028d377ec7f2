/*
 * cli: option helpers shared by the commands (see cli.h).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"
#include "diag.h"

void
cli_usage(const char *usage, int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f, "usage: %s\n", usage);
	if (status == 0)
		fprintf(f, "See %s(1) for the options and what they do.\n",
		    cv_progname);
	exit(status);
}

void
cli_version(void)
{
	printf("%s (cv) %s\n", cv_progname, CV_VERSION);
	exit(0);
}

void
cli_bad(const char *usage, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cv_warnx("%s", msg);
	fprintf(stderr, "usage: %s\n", usage);
	exit(EX_USAGE);
}

int32_t
cli_date(const char *opt, const char *val)
{
	int32_t d;

	if (strcmp(val, "today") == 0)
		return date_today();
	if (date_parse(val, strlen(val), &d) < 0)
		cv_errx(EX_USAGE, "%s: '%s' is not a date (YYYY-MM-DD)", opt, val);
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
		cv_errx(EX_USAGE, "%s: '%s' is not a whole number", opt, val);
	if (v < min || v > max)
		cv_errx(EX_USAGE, "%s: %s is out of range (%lld to %lld)", opt,
		    val, min, max);
	return v;
}

double
cli_double(const char *opt, const char *val, double min, double max,
    int pct_ok)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(val, &end);
	if (pct_ok && *end == '%' && end[1] == '\0') {
		v /= 100.0;
		end++;
	}
	if (*val == '\0' || *end != '\0' || errno != 0 || !isfinite(v))
		cv_errx(EX_USAGE, "%s: '%s' is not a number", opt, val);
	if (v < min || v > max)
		cv_errx(EX_USAGE, "%s: %s is out of range", opt, val);
	return v;
}

void
cli_db_operand(const char **dir, int *argc, char ***argv, int writer)
{
	struct stat sb;

	if (*dir != NULL || *argc == 0)
		return;
	if (writer == 2 || (stat((*argv)[0], &sb) == 0 ? S_ISDIR(sb.st_mode) :
	    (writer && errno == ENOENT && *argc > 1))) {
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
