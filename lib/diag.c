/*
 * diag: the message helpers of diag.h.  Everything goes to stderr in one
 * write per message so that lines from concurrent processes do not mix.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

const char *cv_progname = "cv";

void
cv_setprog(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	cv_progname = p != NULL ? p + 1 : argv0;
}

static void
vemit(const char *file, long line, const char *fmt, va_list ap, int errnum)
{
	char buf[2048];
	size_t n = 0;
	int r;

	r = snprintf(buf, sizeof(buf), "%s: ", cv_progname);
	if (r > 0)
		n = (size_t)r;
	if (file != NULL && n < sizeof(buf)) {
		if (line > 0)
			r = snprintf(buf + n, sizeof(buf) - n, "%s:%ld: ", file, line);
		else
			r = snprintf(buf + n, sizeof(buf) - n, "%s: ", file);
		if (r > 0)
			n += (size_t)r;
	}
	if (fmt != NULL && n < sizeof(buf)) {
		r = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
		if (r > 0)
			n += (size_t)r;
	}
	if (errnum != 0 && n < sizeof(buf)) {
		r = snprintf(buf + n, sizeof(buf) - n, ": %s", strerror(errnum));
		if (r > 0)
			n += (size_t)r;
	}
	if (n >= sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	fflush(stdout);
	fwrite(buf, 1, n, stderr);
	fflush(stderr);
}

void
cv_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(NULL, 0, fmt, ap, 0);
	va_end(ap);
}

void
cv_warn(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vemit(NULL, 0, fmt, ap, e);
	va_end(ap);
}

void
cv_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(NULL, 0, fmt, ap, 0);
	va_end(ap);
	exit(status);
}

void
cv_err(int status, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vemit(NULL, 0, fmt, ap, e);
	va_end(ap);
	exit(status);
}

void
cv_vmsgat(const char *file, long line, const char *fmt, va_list ap)
{
	vemit(file, line, fmt, ap, 0);
}

void
cv_msgat(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(file, line, fmt, ap, 0);
	va_end(ap);
}

static char *
quote(char *buf, size_t bufsz, const char *s, size_t len, int raw)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0, limit = 40;

	if (bufsz < 8) {
		if (bufsz > 0)
			buf[0] = '\0';
		return buf;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (n >= limit || n + 5 >= bufsz - 4) {
			/* Do not cut a UTF-8 sequence in half. */
			while (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
				n--;
			if (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0xc0)
				n--;
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		if (c == '\\' && !raw) {
			buf[n++] = '\\';
			buf[n++] = '\\';
		} else if (c == '\t') {
			buf[n++] = '\\';
			buf[n++] = 't';
		} else if (c == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else if (c == '\r') {
			buf[n++] = '\\';
			buf[n++] = 'r';
		} else if (c < 0x20 || c == 0x7f) {
			buf[n++] = '\\';
			buf[n++] = 'x';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 15];
		} else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return buf;
}

char *
cv_quote(char *buf, size_t bufsz, const char *s, size_t len)
{
	return quote(buf, bufsz, s, len, 0);
}

char *
cv_quote_raw(char *buf, size_t bufsz, const char *s, size_t len)
{
	return quote(buf, bufsz, s, len, 1);
}

static noreturn void
oom(void)
{
	static const char tail[] = ": out of memory\n";

	fwrite(cv_progname, 1, strlen(cv_progname), stderr);
	fwrite(tail, 1, sizeof(tail) - 1, stderr);
	exit(EX_OSERR);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > (size_t)-1 / size)
		oom();
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
cv_fail(struct cv_error *e, int status, const char *fmt, ...)
{
	va_list ap;

	if (e != NULL) {
		e->status = status;
		e->line = 0;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

int
cv_failat(struct cv_error *e, int status, long line, const char *fmt, ...)
{
	va_list ap;

	if (e != NULL) {
		e->status = status;
		e->line = line;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

void
cv_error_file(const char *file, struct cv_error *e)
{
	char msg[sizeof(e->msg)];

	if (e->line <= 0)
		return;
	/* A message too long for e->msg is cut, as cv_fail() cuts it. */
	if (snprintf(msg, sizeof(msg), "%s:%ld: %s", file, e->line, e->msg) < 0)
		return;
	memcpy(e->msg, msg, sizeof(msg));
	e->line = 0;
}

void
cv_report(const char *file, const struct cv_error *e)
{
	if (e->line > 0)
		cv_msgat(file, e->line, "%s", e->msg);
	else
		cv_warnx("%s", e->msg);
}
