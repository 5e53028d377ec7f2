/*
 * diag: messages on stderr in the one format every cv command uses, the
 * exit statuses (sysexits.h), and allocation that cannot fail quietly.
 *
 * Message format:  prog: [file:line: ]what is wrong
 * The program name is set once by cv_setprog() from argv[0].  Functions
 * named *x do not append strerror(errno); the others do.  The exiting
 * forms exist for cmd/ and for the x*alloc family: lib/ modules report
 * errors to their caller and leave the exit status to it.
 */
#ifndef CV_DIAG_H
#define CV_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdnoreturn.h>
#include <sysexits.h>

#define CV_VERSION "0.1.0"

extern const char *cv_progname;

/* Remember the basename of argv0 for messages. */
void	cv_setprog(const char *argv0);

/* prog: message */
void	cv_warnx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* prog: message: strerror(errno) */
void	cv_warn(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
noreturn void cv_errx(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
noreturn void cv_err(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* prog: file:line: message (line 0 leaves out the line number) */
void	cv_msgat(const char *file, long line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	cv_vmsgat(const char *file, long line, const char *fmt, va_list ap);

/*
 * Write s[0..len) into buf (size bufsz) fit to be quoted in a message:
 * control bytes and backslashes escaped, cut after about 40 bytes with
 * "...".  Returns buf.
 */
char	*cv_quote(char *buf, size_t bufsz, const char *s, size_t len);
/*
 * The same for text already in the cv stream's escaped form (cv-tsv(5)),
 * quoted as written: its backslashes are left as they are.
 */
char	*cv_quote_raw(char *buf, size_t bufsz, const char *s, size_t len);
#define CV_QUOTE_MAX 64

/* Allocation: these print "prog: out of memory" and exit 71 on failure. */
void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
void	*xreallocarray(void *p, size_t n, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);

/*
 * The error a lib/ function reports: a message (already formatted, no
 * program name) and the exit status the caller should use if it gives up.
 */
struct cv_error {
	int	 status;		/* an EX_* value */
	long	 line;			/* input line, 0 if none */
	char	 msg[512];
};

/* Fill e and return -1, so that callers can write `return cv_fail(...)`. */
int	cv_fail(struct cv_error *e, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	cv_failat(struct cv_error *e, int status, long line, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
/*
 * Print a reported error: "prog: file:line: msg" when it has a line, else
 * "prog: msg" (a message without a line names its file itself).
 */
void	cv_report(const char *file, const struct cv_error *e);
/*
 * Make an error at a line of file one that names them in its message
 * ("file:line: msg", line then 0), for a caller that passes it on.
 */
void	cv_error_file(const char *file, struct cv_error *e);

#endif
