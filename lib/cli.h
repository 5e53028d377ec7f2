/*
 * cli: what every cv command's main() shares: the version line, the usage
 * message (to stdout for --help with status 0, to stderr with status 64
 * otherwise), and option values checked before any input is read.  These
 * functions exit on bad values, with EX_USAGE and a message naming the
 * option and the value.
 */
#ifndef CV_CLI_H
#define CV_CLI_H

#include <getopt.h>
#include <stdint.h>

/*
 * Set the program name (from argv0) and the usage text, the SYNOPSIS on
 * one or more lines without the leading "usage: ".  Called first thing:
 * it also holds standard input, output or error, when closed, with
 * /dev/null opened so that using it fails as before (see cli.c).
 */
void	cli_init(const char *argv0, const char *usage);
/*
 * getopt_long() with the project's messages: an unknown option or one
 * missing its value is a usage error (exit 64) that names the option as
 * typed and shows the usage.  Returns the option, or -1 at the end.
 */
int	cli_getopt(int argc, char *const argv[], const char *shortopts,
	    const struct option *longopts);
/* -h: the usage (and more, if given) to stdout, exit 0. */
void	cli_help(const char *more) __attribute__((noreturn));
/* -V: "prog (cv) VERSION", exit 0. */
void	cli_version(void) __attribute__((noreturn));
/* A usage error: "prog: message", then the usage, exit 64. */
void	cli_bad(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

/* YYYY-MM-DD, or "today" (the machine's local date). */
int32_t	cli_date(const char *opt, const char *val);
/* A whole number in [min, max]. */
long long cli_int(const char *opt, const char *val, long long min,
	    long long max);
/* A decimal number in [min, max] (max HUGE_VAL: no upper bound).  With
 * pct_ok CLI_PCT_DIVIDES a trailing '%' divides it by 100; with
 * CLI_PCT_UNIT the number is a percentage either way and '%' may follow;
 * the range is checked on the number as written. */
enum { CLI_PCT_NO, CLI_PCT_DIVIDES, CLI_PCT_UNIT };
double	cli_double(const char *opt, const char *val, double min, double max,
	    int pct_ok);

/*
 * --db takes an optional argument, so "--db DIR" leaves DIR as the first
 * operand.  Take it as the store when it is a folder, or when it does not
 * exist yet for a reader (writer 0, which takes no files with --db) or for
 * a writer (writer 1) with more operands after it, or always when the
 * command takes no other operands (writer 2).  *dir is
 * left NULL when the store is the default one (db_dir()).
 */
void	cli_db_operand(const char **dir, int *argc, char ***argv, int writer);
/* Append the value of an option given more than once to *list (*n of them). */
void	cli_push(char ***list, int *n, char *val);
/*
 * A second output (--rejects, --params) that would end in the same file
 * as the main one (out, NULL for standard output), or share standard
 * output with it: a usage error naming the option.
 */
void	cli_outputs_apart(const char *opt, const char *other,
	    const char *out);
/* --wait seconds (with --db): 0 up to a week (WAIT_MAX in db.h). */
double	cli_wait(const char *val);

/* 1 if the file descriptor is a terminal (progress may be shown). */
int	cli_isatty(int fd);

#endif
