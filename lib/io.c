/*
 * io: input blocks with transparent gzip, a line reader, and atomic
 * buffered output (see io.h).
 *
 * The producer side (fill()) reads the file and, for gzip, inflates it
 * member after member with zlib.  It runs in the caller's thread, or with
 * IN_THREAD in a thread of its own that keeps up to IN_NBLOCKS blocks
 * ready; the consumer (in_next) takes them in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "io.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0		/* <linux/magic.h> */
#endif

#define RAWSZ (256 * 1024)
#define MAPWIN ((size_t)2 << 20)	/* a multiple of the page size */

/*
 * The input mappings, for SIGBUS: a mapped file that becomes shorter
 * while it is read (written over in place by whoever sends it) raises
 * SIGBUS on the first page past its new end.  The handler finds the
 * mapping by the address, removes the temporary outputs, names the file
 * and exits with EX_IOERR; a SIGBUS anywhere else keeps its default
 * action.  Slots are filled under maplock; the handler reads them
 * without it.
 */
#define MAPSLOTS 64

static struct {
	atomic_int	 used;
	const char	*start;
	size_t		 len;
	const char	*name;
} mapslot[MAPSLOTS];
static pthread_mutex_t maplock = PTHREAD_MUTEX_INITIALIZER;

static void remove_tmps(void);

/* write(2) a string to standard error, as a signal handler may. */
static void
say(const char *s)
{
	size_t n = strlen(s);
	ssize_t k;

	while (n > 0 && (k = write(2, s, n)) > 0) {
		s += k;
		n -= (size_t)k;
	}
}

static void
on_sigbus(int sig, siginfo_t *si, void *uc)
{
	const char *a = si->si_addr;
	int i;

	(void)sig;
	(void)uc;
	for (i = 0; i < MAPSLOTS; i++) {
		if (!atomic_load(&mapslot[i].used) || a < mapslot[i].start ||
		    a >= mapslot[i].start + mapslot[i].len)
			continue;
		remove_tmps();
		say(cv_progname);
		say(": ");
		say(mapslot[i].name);
		say(": the file became shorter while it was read (is it still "
		    "being written?)\n");
		_exit(EX_IOERR);
	}
	/* SA_RESETHAND: the fault comes again, with the default action. */
}

/* Returns the slot's number plus one, or 0 when there is none. */
static int
map_register(const char *p, size_t n, const char *name)
{
	static int caught;
	struct sigaction sa;
	int i;

	pthread_mutex_lock(&maplock);
	if (!caught) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_sigbus;
		sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
		sigemptyset(&sa.sa_mask);
		(void)sigaction(SIGBUS, &sa, NULL);
		caught = 1;
	}
	for (i = 0; i < MAPSLOTS; i++)
		if (!atomic_load(&mapslot[i].used)) {
			mapslot[i].start = p;
			mapslot[i].len = n;
			mapslot[i].name = name;
			atomic_store(&mapslot[i].used, 1);
			break;
		}
	pthread_mutex_unlock(&maplock);
	return i < MAPSLOTS ? i + 1 : 0;
}

static void
map_unregister(int slot)
{
	if (slot > 0)
		atomic_store(&mapslot[slot - 1].used, 0);
}

static int
rawread(struct cv_in *in)
{
	ssize_t r;

	for (;;) {
		r = read(in->fd, in->raw, RAWSZ);
		if (r >= 0)
			break;
		if (errno != EINTR) {
			in->failed = 1;
			return cv_fail(&in->err, EX_IOERR, "%s: %s", in->name,
			    strerror(errno));
		}
	}
	in->rawlen = (size_t)r;
	in->rawbytes += (uint64_t)r;
	return (int)r;
}

static int
zfail(struct cv_in *in, const char *what)
{
	in->failed = 1;
	return cv_fail(&in->err, EX_DATAERR, "%s: %s", in->name, what);
}

/*
 * Fill one block: dst gets up to in->blksz bytes.  Returns the length, 0 at
 * the end of the input, -1 on error (in->err filled).
 */
static ssize_t
fill(struct cv_in *in, char *dst)
{
	size_t n = 0;
	int r;

	if (in->failed)
		return -1;
	if (!in->gz) {
		if (in->rawfirst) {
			/* The bytes read to detect gzip are the first data. */
			memcpy(dst, in->raw, in->rawlen);
			n = in->rawlen;
			in->rawfirst = 0;
		}
		while (n < in->blksz && !in->eof) {
			ssize_t k = read(in->fd, dst + n, in->blksz - n);

			if (k < 0) {
				if (errno == EINTR)
					continue;
				in->failed = 1;
				return cv_fail(&in->err, EX_IOERR, "%s: %s",
				    in->name, strerror(errno));
			}
			if (k == 0)
				in->eof = 1;
			in->rawbytes += (uint64_t)k;
			n += (size_t)k;
		}
		return (ssize_t)n;
	}
	in->zs.next_out = (unsigned char *)dst;
	in->zs.avail_out = (uInt)in->blksz;
	while (in->zs.avail_out > 0) {
		if (in->zs.avail_in == 0) {
			if (in->eof)
				break;
			if ((r = rawread(in)) < 0)
				return -1;
			if (r == 0) {
				in->eof = 1;
				break;
			}
			in->zs.next_in = in->raw;
			in->zs.avail_in = in->rawlen;
		}
		if (in->zend) {
			/* Between members: another member, or the end. */
			if (in->zs.avail_in >= 1 && in->zs.next_in[0] != 0x1f)
				return zfail(in, "unexpected bytes after the end "
				    "of the gzip data");
			if (inflateReset(&in->zs) != Z_OK)
				return zfail(in, "cannot restart gzip reader");
			in->zend = 0;
		}
		r = inflate(&in->zs, Z_NO_FLUSH);
		if (r == Z_STREAM_END) {
			in->zend = 1;
			continue;
		}
		if (r == Z_MEM_ERROR) {
			in->failed = 1;
			return cv_fail(&in->err, EX_OSERR, "%s: out of memory",
			    in->name);
		}
		if (r == Z_DATA_ERROR || r == Z_NEED_DICT || r == Z_STREAM_ERROR) {
			char msg[300];

			snprintf(msg, sizeof(msg), "corrupt gzip data (%s)",
			    in->zs.msg != NULL ? in->zs.msg : "bad stream");
			return zfail(in, msg);
		}
	}
	n = in->blksz - in->zs.avail_out;
	if (n == 0 && in->eof && !in->zend)
		return zfail(in, "unexpected end of gzip data (the file is "
		    "truncated)");
	return (ssize_t)n;
}

static void *
producer(void *arg)
{
	struct cv_in *in = arg;
	ssize_t n;
	int slot;

	for (;;) {
		pthread_mutex_lock(&in->mu);
		while (in->count + in->held >= IN_NBLOCKS && !in->stop)
			pthread_cond_wait(&in->cv, &in->mu);
		if (in->stop) {
			pthread_mutex_unlock(&in->mu);
			break;
		}
		slot = in->tail;
		pthread_mutex_unlock(&in->mu);

		n = fill(in, in->blk[slot].p);

		pthread_mutex_lock(&in->mu);
		if (n <= 0) {
			in->done = 1;
			pthread_cond_broadcast(&in->cv);
			pthread_mutex_unlock(&in->mu);
			break;
		}
		in->blk[slot].len = (size_t)n;
		in->tail = (in->tail + 1) % IN_NBLOCKS;
		in->count++;
		pthread_cond_broadcast(&in->cv);
		pthread_mutex_unlock(&in->mu);
	}
	return NULL;
}

int
in_check(const char *path, struct cv_error *e)
{
	struct stat st;
	int err;

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		cv_fail(e, EX_NOINPUT, "%s: is a folder, not a file", path);
		errno = EISDIR;
		return -1;
	}
	if (stat(path, &st) == 0 && access(path, R_OK) == 0)
		return 0;
	err = errno;
	cv_fail(e, EX_NOINPUT, "%s: %s", path, strerror(err));
	errno = err;
	return -1;
}

int
in_open(struct cv_in *in, const char *path, int flags, struct cv_error *e)
{
	off_t start;
	int i, nb;

	memset(in, 0, sizeof(*in));
	in->flags = flags;
	if (path == NULL || strcmp(path, "-") == 0) {
		in->name = "<stdin>";
		in->fd = 0;
	} else {
		struct stat st;

		in->name = path;
		if ((in->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return cv_fail(e, EX_NOINPUT, "%s: %s", path,
			    strerror(errno));
		if (fstat(in->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(in->fd);
			in->fd = -1;
			return cv_fail(e, EX_NOINPUT, "%s: is a folder, not a "
			    "file", path);
		}
	}
	/* Standard input may stand past its start: a caller read some. */
	start = lseek(in->fd, 0, SEEK_CUR);
	in->raw = xmalloc(RAWSZ);
	if (rawread(in) < 0) {
		*e = in->err;
		in_close(in);
		return -1;
	}
	/* Short reads on pipes: make sure two bytes are there to look at. */
	while (in->rawlen == 1) {
		ssize_t k = read(in->fd, in->raw + 1, RAWSZ - 1);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		in->rawlen += (size_t)k;
		in->rawbytes += (uint64_t)k;
	}
	if (in->rawlen == 0)
		in->eof = 1;
	if (in->rawlen >= 2 && (unsigned char)in->raw[0] == 0x1f &&
	    (unsigned char)in->raw[1] == 0x8b) {
		in->gz = 1;
		if (inflateInit2(&in->zs, 15 + 16) != Z_OK) {
			in_close(in);
			return cv_fail(e, EX_OSERR, "%s: cannot start gzip "
			    "reader", in->name);
		}
		in->zinit = 1;
		in->zs.next_in = in->raw;
		in->zs.avail_in = in->rawlen;
	} else {
		struct stat sb;
		struct rlimit rl;

		in->rawfirst = 1;
		/*
		 * A plain file read from its start: map it a window at a time
		 * (see in_next).  The mapping starts at offset 0, so a file
		 * read from further on is read, from where it stands.
		 */
		if (start == 0 && fstat(in->fd, &sb) == 0 &&
		    S_ISREG(sb.st_mode) && sb.st_size >= RAWSZ) {
			in->filelen = (uint64_t)sb.st_size;
			in->rawbytes = in->filelen;
			in->mapoff = 0;
			in->maplen = 0;
			in->map = (char *)in;	/* "mapped", nothing yet */
			/*
			 * Not where a file may not fit in the address space,
			 * nor under a limit on it (ulimit -v), which the
			 * mapping would spend.
			 */
			in->whole = (flags & IN_WHOLE) && sizeof(size_t) >= 8 &&
			    getrlimit(RLIMIT_AS, &rl) == 0 &&
			    rl.rlim_cur == RLIM_INFINITY;
			return 0;
		}
	}

	in->blksz = in->gz ? IN_ZBLOCK : IN_BLOCK;
	nb = (flags & IN_THREAD) ? IN_NBLOCKS : 1;
	for (i = 0; i < nb; i++)
		in->blk[i].p = xmalloc(in->blksz);
	if (flags & IN_THREAD) {
		pthread_mutex_init(&in->mu, NULL);
		pthread_cond_init(&in->cv, NULL);
		if (pthread_create(&in->thr, NULL, producer, in) != 0) {
			in_close(in);
			return cv_fail(e, EX_OSERR, "%s: cannot start reader "
			    "thread", in->name);
		}
		in->threaded = 1;
	}
	return 0;
}

/*
 * Test hook for a file written over while it is read: when
 * $CV_TEST_SHRINK is "SIZE:PATH" and PATH is the name this input was
 * opened by, the file is cut to SIZE bytes once a window of it is
 * mapped.  Naming the file keeps the hook from cutting any other input
 * (a variable left set in a shell), and from cutting stdin's file.
 */
static void
shrink_hook(const struct cv_in *in)
{
	const char *t = getenv("CV_TEST_SHRINK");
	char *colon;
	unsigned long long size;

	if (t == NULL || in->fd <= 0)
		return;
	size = strtoull(t, &colon, 10);
	if (colon != t && *colon == ':' && strcmp(colon + 1, in->name) == 0)
		(void)truncate(in->name, (off_t)size);
}

ssize_t
in_next(struct cv_in *in, const char **p, struct cv_error *e)
{
	ssize_t n;

	if (in->map != NULL) {
		/* The next window; the one before goes. */
		uint64_t off = in->mapoff + in->maplen;
		size_t k;
		void *m;

		map_unregister(in->mapslot);
		in->mapslot = 0;
		if (in->map != (char *)in && in->maplen > in->released)
			munmap(in->map + in->released, in->maplen -
			    in->released);
		in->map = (char *)in;
		in->mapoff = off;
		in->maplen = 0;
		in->released = 0;
		if (off >= in->filelen)
			return 0;
		k = in->filelen - off < MAPWIN || in->whole ?
		    (size_t)(in->filelen - off) : MAPWIN;
		/*
		 * A window is faulted in at once; a whole file as it is read,
		 * by whichever thread reads it first.
		 */
		m = mmap(NULL, k, PROT_READ, MAP_PRIVATE | (in->whole ? 0 :
		    MAP_POPULATE), in->fd, (off_t)off);
		if (m == MAP_FAILED && in->whole && k > MAPWIN) {
			/* Too large to map at once: a window at a time. */
			in->whole = 0;
			k = MAPWIN;
			m = mmap(NULL, k, PROT_READ, MAP_PRIVATE |
			    MAP_POPULATE, in->fd, (off_t)off);
		}
		if (m == MAP_FAILED)
			return cv_fail(e, EX_IOERR, "%s: %s", in->name,
			    strerror(errno));
		(void)madvise(m, k, MADV_SEQUENTIAL);
		in->mapslot = map_register(m, k, in->name);
		shrink_hook(in);
		in->map = m;
		in->maplen = k;
		*p = m;
		return (ssize_t)k;
	}

	if (!in->threaded) {
		n = fill(in, in->blk[0].p);
		if (n < 0) {
			*e = in->err;
			return -1;
		}
		*p = in->blk[0].p;
		return n;
	}
	pthread_mutex_lock(&in->mu);
	if (in->held) {
		in->held = 0;
		in->head = (in->head + 1) % IN_NBLOCKS;
		pthread_cond_broadcast(&in->cv);
	}
	while (in->count == 0 && !in->done)
		pthread_cond_wait(&in->cv, &in->mu);
	if (in->count == 0) {
		pthread_mutex_unlock(&in->mu);
		if (in->failed) {
			*e = in->err;
			return -1;
		}
		return 0;
	}
	in->count--;
	in->held = 1;
	*p = in->blk[in->head].p;
	n = (ssize_t)in->blk[in->head].len;
	pthread_mutex_unlock(&in->mu);
	return n;
}

#define RELEASE_STEP ((size_t)16 << 20)

void
in_release(struct cv_in *in, const char *upto)
{
	size_t off;

	/*
	 * Called for every line read the careful way: quick when there is
	 * nothing to do.  The steps are a multiple of any page size.
	 */
	if (!in->whole || in->map == NULL || in->map == (char *)in ||
	    upto < in->map || upto > in->map + in->maplen ||
	    (size_t)(upto - in->map) < in->released + RELEASE_STEP)
		return;
	off = (size_t)(upto - in->map) / RELEASE_STEP * RELEASE_STEP;
	munmap(in->map + in->released, off - in->released);
	in->released = off;
}

int
in_lasting(const struct cv_in *in)
{
	return in->whole && in->map != NULL && in->map != (char *)in;
}

void
in_close(struct cv_in *in)
{
	int i;

	if (in->threaded) {
		pthread_mutex_lock(&in->mu);
		in->stop = 1;
		pthread_cond_broadcast(&in->cv);
		pthread_mutex_unlock(&in->mu);
		pthread_join(in->thr, NULL);
		pthread_mutex_destroy(&in->mu);
		pthread_cond_destroy(&in->cv);
		in->threaded = 0;
	}
	map_unregister(in->mapslot);
	in->mapslot = 0;
	if (in->map != NULL && in->map != (char *)in &&
	    in->maplen > in->released)
		munmap(in->map + in->released, in->maplen - in->released);
	in->map = NULL;
	if (in->zinit)
		inflateEnd(&in->zs);
	in->zinit = 0;
	if (in->fd > 0)
		close(in->fd);
	in->fd = -1;
	for (i = 0; i < IN_NBLOCKS; i++) {
		free(in->blk[i].p);
		in->blk[i].p = NULL;
	}
	free(in->raw);
	in->raw = NULL;
}

void
lines_init(struct lines *l, struct cv_in *in)
{
	memset(l, 0, sizeof(*l));
	l->in = in;
}

int
lines_next(struct lines *l, char **p, size_t *n, struct cv_error *e)
{
	const char *nl;
	ssize_t r;

	l->carry.len = 0;
	l->nolf = 0;
	for (;;) {
		if (l->bpos < l->blen) {
			const char *s = l->blk + l->bpos;
			size_t avail = l->blen - l->bpos;

			nl = memchr(s, '\n', avail);
			if (nl != NULL) {
				size_t k = (size_t)(nl - s);

				l->bpos += k + 1;
				l->lineno++;
				if (l->carry.len == 0) {
					*p = (char *)s;
					*n = k;
				} else {
					buf_add(&l->carry, s, k);
					*p = l->carry.p;
					*n = l->carry.len;
				}
				goto got;
			}
			buf_add(&l->carry, s, avail);
			l->bpos = l->blen;
		}
		if (l->eof)
			break;
		r = in_next(l->in, &l->blk, e);
		if (r < 0)
			return -1;
		if (r == 0) {
			l->eof = 1;
			l->blen = l->bpos = 0;
			break;
		}
		l->blen = (size_t)r;
		l->bpos = 0;
	}
	if (l->carry.len == 0)
		return 0;
	l->lineno++;
	l->nolf = 1;
	*p = l->carry.p;
	*n = l->carry.len;
got:
	if (l->lineno == 1 && *n >= 3 && memcmp(*p, "\xef\xbb\xbf", 3) == 0) {
		*p += 3;
		*n -= 3;
		l->bom = 1;
	}
	return 1;
}

void
lines_free(struct lines *l)
{
	buf_free(&l->carry);
}

#define OUTSZ (256 * 1024)
#define MAXLINKS 40		/* as the kernel follows */
#define TMPCHUNK 1024		/* slots in a chunk */
#define TMPCHUNKS 1024		/* chunks at most: a million files open */

/*
 * The temporary files open, removed by a signal that kills the run, or by
 * exit() before they were renamed into place (a fatal error: out of
 * memory, a thread that cannot start).  The handler may only unlink(), so
 * each name is copied into a slot's buffer, allocated once and kept for
 * reuse, before the slot is marked used; a slot is let go only after its
 * file was renamed or removed.
 *
 * As many files may be open as the limit of open files allows (--split
 * opens one per segment), so the slots come in chunks, added as they are
 * needed: a chunk is made whole (its slots unused) before its pointer is
 * stored, and the count of chunks after that; chunks are never moved or
 * freed.  The handler reads the count, then each chunk's pointer, all
 * lock-free atomics, so it never meets a chunk half made.
 */
struct tmpslot {
	atomic_int	 used;
	char		*name;		/* PATH_MAX bytes */
};
static struct tmpslot *_Atomic tmpchunk[TMPCHUNKS];
static atomic_int ntmpchunk;
static pthread_mutex_t tmplock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Remove the files still registered: at exit they were never renamed
 * into place.  Only unlink(), as a signal handler may.
 */
static void
remove_tmps(void)
{
	struct tmpslot *s;
	int c, i, n = atomic_load(&ntmpchunk);

	for (c = 0; c < n; c++) {
		if ((s = atomic_load(&tmpchunk[c])) == NULL)
			continue;
		for (i = 0; i < TMPCHUNK; i++)
			if (atomic_load(&s[i].used))
				unlink(s[i].name);
	}
}

static void
on_signal(int sig)
{
	int en = errno;

	remove_tmps();
	/*
	 * SA_RESETHAND put back the default action: the signal, pending
	 * until the handler returns, kills the run, and the exit status
	 * says so.
	 */
	raise(sig);
	errno = en;
}

/*
 * Every signal whose default action ends the run, and that a user, a
 * batch system or a limit sends (ulimit -t, a job's timeout, kill -QUIT),
 * removes the temporary files first.  SIGXFSZ (ulimit -f) is ignored
 * instead: the write past the limit then fails with EFBIG, which the
 * output reports (exit status 74) and cleans up after like a full disk.
 */
static void
catch_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGQUIT,
	    SIGXCPU, SIGALRM, SIGUSR1, SIGUSR2 };
	struct sigaction sa, old;
	size_t i;

	if (sigaction(SIGXFSZ, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
		(void)signal(SIGXFSZ, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		/* One ignored (nohup, a background job) stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_DFL)
			(void)sigaction(sigs[i], &sa, NULL);
}

/*
 * Returns the slot's number plus one, or 0 when there is none (a million
 * files open, or a name too long for a file name).  The search starts
 * after the slot taken last, so that opening many files costs no scan of
 * all the slots before.
 */
static int
tmp_register(const char *name)
{
	static int caught, next;
	struct tmpslot *s;
	size_t n = strlen(name);
	int i, k, nslot, slot = 0;

	if (n >= PATH_MAX)
		return 0;
	pthread_mutex_lock(&tmplock);
	if (!caught) {
		catch_signals();
		(void)atexit(remove_tmps);
		caught = 1;
	}
	nslot = atomic_load(&ntmpchunk) * TMPCHUNK;
	for (k = 0; k < nslot; k++) {
		i = (next + k) % nslot;
		if (!atomic_load(&atomic_load(&tmpchunk[i / TMPCHUNK])[i %
		    TMPCHUNK].used)) {
			slot = i + 1;
			break;
		}
	}
	if (slot == 0 && nslot < TMPCHUNKS * TMPCHUNK) {
		/* All in use: one chunk more, whole before it shows. */
		s = xcalloc(TMPCHUNK, sizeof(*s));
		for (i = 0; i < TMPCHUNK; i++)
			atomic_init(&s[i].used, 0);
		atomic_store(&tmpchunk[nslot / TMPCHUNK], s);
		atomic_store(&ntmpchunk, nslot / TMPCHUNK + 1);
		slot = nslot + 1;
	}
	if (slot > 0) {
		s = &atomic_load(&tmpchunk[(slot - 1) / TMPCHUNK])[(slot - 1) %
		    TMPCHUNK];
		if (s->name == NULL)
			s->name = xmalloc(PATH_MAX);
		memcpy(s->name, name, n + 1);
		atomic_store(&s->used, 1);
		next = slot;
	}
	pthread_mutex_unlock(&tmplock);
	return slot;
}

static void
tmp_unregister(int slot)
{
	if (slot > 0)
		atomic_store(&atomic_load(&tmpchunk[(slot - 1) /
		    TMPCHUNK])[(slot - 1) % TMPCHUNK].used, 0);
}

/*
 * Is the symbolic link name one of /proc's (/proc/PID/fd/N, where
 * /dev/stdout, /dev/stderr and /dev/fd/N lead)?  Such a link stands for
 * an open file, not for a name: what it points to may have been removed
 * (a log rotated away; realpath() then fails), be a pipe or a socket,
 * or be a file whose other users (a shell appending to it, messages on
 * stderr) a rename would cut off.
 */
static int
proc_link(const char *name)
{
	struct statfs sf;
	char *copy = xstrdup(name);
	int r;

	r = statfs(dirname(copy), &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
	free(copy);
	return r;
}

/*
 * The descriptor of this process that the /proc link name stands for
 * (/proc/PID/fd/N or /proc/PID/task/TID/fd/N with PID our own), or -1.
 */
static int
own_fd(const char *name)
{
	char *copy = xstrdup(name), *dir, *end;
	const char *b = strrchr(name, '/');
	long pid, fd = -1;

	if ((dir = realpath(dirname(copy), NULL)) != NULL &&
	    strncmp(dir, "/proc/", 6) == 0 && b != NULL && b[1] >= '0' &&
	    b[1] <= '9') {
		pid = strtol(dir + 6, &end, 10);
		if (pid == (long)getpid() && (strcmp(end, "/fd") == 0 ||
		    (strncmp(end, "/task/", 6) == 0 &&
		    (end = strchr(end + 6, '/')) != NULL &&
		    strcmp(end, "/fd") == 0))) {
			fd = strtol(b + 1, &end, 10);
			if (*end != '\0' || fd > INT_MAX)
				fd = -1;
		}
	}
	free(dir);
	free(copy);
	return (int)fd;
}

/*
 * Follow path through symbolic links to the name the last one points to,
 * each relative link taken from its own folder; *proc is set when a link
 * of /proc is met, and that link's name is returned.  Returns the name
 * (malloc'd), or NULL with e filled.
 */
static char *
follow(const char *path, int *proc, struct cv_error *e)
{
	struct stat lst;
	char lnk[PATH_MAX], *cur, *next, *slash;
	size_t k;
	ssize_t n;
	int i;

	*proc = 0;
	cur = xstrdup(path);
	for (i = 0;; i++) {
		/* Or the rename at the end fails, after all the work. */
		if (cur[strlen(cur) - 1] == '/') {
			cv_fail(e, EX_CANTCREAT, "%s: names a folder, not a "
			    "file", path);
			break;
		}
		if (lstat(cur, &lst) < 0 || !S_ISLNK(lst.st_mode))
			return cur;
		if (proc_link(cur)) {
			*proc = 1;
			return cur;
		}
		if (i == MAXLINKS) {
			cv_fail(e, EX_CANTCREAT, "%s: %s", path,
			    strerror(ELOOP));
			break;
		}
		if ((n = readlink(cur, lnk, sizeof(lnk) - 1)) <= 0) {
			cv_fail(e, EX_CANTCREAT, "%s: %s", path,
			    strerror(n < 0 ? errno : ENOENT));
			break;
		}
		lnk[n] = '\0';
		if (lnk[0] != '/' && (slash = strrchr(cur, '/')) != NULL) {
			k = (size_t)(slash - cur) + 1;
			next = xmalloc(k + (size_t)n + 1);
			memcpy(next, cur, k);
			memcpy(next + k, lnk, (size_t)n + 1);
		} else
			next = xstrdup(lnk);
		free(cur);
		cur = next;
	}
	free(cur);
	return NULL;
}

/*
 * Where a file output goes: a regular file (or a new name) is written
 * through a temporary file beside it, through symbolic links beside their
 * final target; anything else that exists (a device, a FIFO) is opened
 * and written as it is, for renaming over it would replace it.  So is a
 * name that leads to a link of /proc (/dev/stdout, /dev/fd/N): one of
 * our own descriptors is written through a copy of it (*fd set), at the
 * offset where it stands, as a shell's >> or a file shared with other
 * commands needs; another process's is opened.
 * Returns the name to rename onto (malloc'd), with *old set and *st filled
 * when it is a file there already; NULL with *direct set to write to path
 * itself (or to *fd when not -1); or NULL with e filled.
 */
static char *
out_target(const char *path, int flags, int *direct, int *fd, int *old,
    struct stat *st, struct cv_error *e)
{
	struct stat lst;
	char *real, *t;
	int proc, fl;

	*direct = 0;
	*fd = -1;
	*old = 0;
	if (*path == '\0') {
		cv_fail(e, EX_USAGE, "empty output file name");
		return NULL;
	}
	if (flags & OUT_NOFOLLOW) {
		/* The name itself: a link is replaced, not followed. */
		if (lstat(path, st) == 0) {
			if (S_ISDIR(st->st_mode)) {
				cv_fail(e, EX_CANTCREAT, "%s: is a folder, not "
				    "a file", path);
				return NULL;
			}
			*old = S_ISREG(st->st_mode);
		}
		return xstrdup(path);
	}
	if (stat(path, st) < 0) {
		/* A name to create, or a descriptor not open. */
		if ((t = follow(path, &proc, e)) != NULL && (proc ||
		    proc_link(t))) {
			cv_fail(e, EX_CANTCREAT, "%s: %s", path,
			    strerror(EBADF));
			free(t);
			return NULL;
		}
		return t;
	}
	if (S_ISDIR(st->st_mode)) {
		cv_fail(e, EX_CANTCREAT, "%s: is a folder, not a file", path);
		return NULL;
	}
	if ((t = follow(path, &proc, e)) == NULL)
		return NULL;
	if (proc) {
		if ((*fd = own_fd(t)) >= 0 &&
		    ((fl = fcntl(*fd, F_GETFL)) < 0 ||
		    (fl & O_ACCMODE) == O_RDONLY)) {
			cv_fail(e, EX_CANTCREAT, "%s: descriptor %d is not "
			    "open for writing", path, *fd);
			*fd = -1;
		} else
			*direct = 1;
		free(t);
		return NULL;
	}
	free(t);
	if (!S_ISREG(st->st_mode)) {
		*direct = 1;
		return NULL;
	}
	*old = 1;
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		/* Never the link's own name: the link would be replaced. */
		if ((real = realpath(path, NULL)) == NULL)
			cv_fail(e, EX_CANTCREAT, "%s: cannot name the file "
			    "the link leads to: %s", path, strerror(errno));
		return real;
	}
	return xstrdup(path);
}

/*
 * The name an output would be written to, for comparing two outputs: the
 * file at the end of its links, with its folder's full name.  A file that
 * exists (or standard output) is told by its device and inode, *st.
 * Returns the name (malloc'd), with *exists set.
 */
static char *
out_ident(const char *path, struct stat *st, int *exists)
{
	struct cv_error e;
	char *t, *d, *b, *dir, *r;
	size_t n;
	int proc;

	if (path == NULL || strcmp(path, "-") == 0) {
		*exists = fstat(1, st) == 0;
		return xstrdup("-");
	}
	*exists = stat(path, st) == 0;
	if ((t = follow(path, &proc, &e)) == NULL)
		return xstrdup(path);
	d = xstrdup(t);
	b = strrchr(t, '/');
	b = b != NULL ? b + 1 : t;
	if ((dir = realpath(dirname(d), NULL)) == NULL) {
		free(d);
		return t;
	}
	n = strlen(dir) + strlen(b) + 2;
	r = xmalloc(n);
	snprintf(r, n, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, b);
	free(dir);
	free(d);
	free(t);
	return r;
}

int
out_same(const char *a, const char *b)
{
	struct stat sa, sb;
	char *na, *nb;
	int ea, eb, same;

	na = out_ident(a, &sa, &ea);
	nb = out_ident(b, &sb, &eb);
	if (strcmp(na, "-") == 0 && strcmp(nb, "-") == 0)
		same = 1;
	else if (ea && eb)
		/* Writes to a device (/dev/null) do not meet in a file. */
		same = sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino &&
		    !S_ISCHR(sa.st_mode);
	else
		same = !ea && !eb && strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return same;
}

int
out_within(const char *path, const char *dir)
{
	struct stat sd, sp;
	char *copy, *nd, *np, *t;
	int ed, ep, in, proc;
	struct cv_error e;
	size_t n;

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	copy = xstrdup(dir);
	for (n = strlen(copy); n > 1 && copy[n - 1] == '/'; n--)
		copy[n - 1] = '\0';
	nd = out_ident(copy, &sd, &ed);
	free(copy);
	/* The name as given, then the file its links lead to. */
	copy = xstrdup(path);
	np = out_ident(dirname(copy), &sp, &ep);
	free(copy);
	in = ed && ep ? sd.st_dev == sp.st_dev && sd.st_ino == sp.st_ino :
	    strcmp(nd, np) == 0;
	free(np);
	if (!in && (t = follow(path, &proc, &e)) != NULL) {
		np = out_ident(dirname(t), &sp, &ep);
		in = ed && ep ? sd.st_dev == sp.st_dev &&
		    sd.st_ino == sp.st_ino : strcmp(nd, np) == 0;
		free(np);
		free(t);
	}
	free(nd);
	return in;
}

/*
 * The temporary name beside o->path: ".NAME.XXXXXX", with NAME cut (at
 * the start of a UTF-8 character) where the whole would be longer than a
 * folder takes.  Returns 0, or -1 with e filled.
 */
static int
tmp_name(struct cv_out *o, const char *path, struct cv_error *e)
{
	char *d, *b, *dcopy, *bcopy;
	size_t n, keep;
	int r = 0;

	dcopy = xstrdup(o->path);
	bcopy = xstrdup(o->path);
	d = dirname(dcopy);
	b = basename(bcopy);
	keep = strlen(b);
	if (keep > NAME_MAX)
		r = cv_fail(e, EX_CANTCREAT, "%s: %s", path,
		    strerror(ENAMETOOLONG));
	else {
		if (keep + 8 > NAME_MAX) {
			keep = NAME_MAX - 8;
			while (keep > 0 && ((unsigned char)b[keep] & 0xc0) ==
			    0x80)
				keep--;
		}
		n = strlen(d) + keep + 16;
		o->tmp = xmalloc(n);
		snprintf(o->tmp, n, "%s/.%.*s.XXXXXX", d, (int)keep, b);
	}
	free(dcopy);
	free(bcopy);
	return r;
}

int
out_open(struct cv_out *o, const char *path, int flags, struct cv_error *e)
{
	struct stat st;
	size_t n;
	mode_t um, mode;
	int direct, fd, old;

	memset(o, 0, sizeof(*o));
	o->flags = flags;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->name = "stdout";
		o->fd = 1;
	} else if ((o->path = out_target(path, flags, &direct, &fd, &old,
	    &st, e)) == NULL && !direct) {
		return -1;
	} else if (direct) {
		if (fd >= 0)
			o->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		else
			o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC |
			    O_CLOEXEC, 0666);
		if (o->fd < 0)
			return cv_fail(e, EX_CANTCREAT, "%s: %s", path,
			    strerror(errno));
		o->given = xstrdup(path);
		o->name = o->given;
	} else {
		if (tmp_name(o, path, e) < 0) {
			free(o->path);
			o->path = NULL;
			return -1;
		}
		if ((o->fd = mkstemp(o->tmp)) < 0) {
			int en = errno;

			free(o->tmp);
			free(o->path);
			o->tmp = o->path = NULL;
			return cv_fail(e, EX_CANTCREAT, "%s: %s", path,
			    strerror(en));
		}
		if ((o->slot = tmp_register(o->tmp)) == 0) {
			/* A run killed now would leave it behind. */
			(void)unlink(o->tmp);
			(void)close(o->fd);
			free(o->tmp);
			free(o->path);
			o->tmp = o->path = NULL;
			return cv_fail(e, EX_CANTCREAT, "%s: too many outputs "
			    "open at once", path);
		}
		o->given = xstrdup(path);
		o->name = o->given;
		if (old) {
			/*
			 * A file replaced keeps its mode, and its owner and
			 * group where the user may give them (EPERM is not an
			 * error); set-id bits go only with their owner.
			 */
			mode = st.st_mode & 07777;
			if (fchown(o->fd, st.st_uid, st.st_gid) < 0) {
				mode &= ~(mode_t)S_ISUID;
				if (fchown(o->fd, (uid_t)-1, st.st_gid) < 0)
					mode &= ~(mode_t)S_ISGID;
			}
		} else {
			um = umask(0);
			umask(um);
			mode = 0666 & ~um;
		}
		fchmod(o->fd, mode);
	}
	n = o->given != NULL ? strlen(path) : 0;
	if (n > 3 && !(flags & OUT_PLAIN) &&
	    strcmp(path + n - 3, ".gz") == 0)
		o->gz = 1;
	if (o->gz) {
		int level = (flags & OUT_GZFAST) ? 1 : 6;

		if (deflateInit2(&o->zs, level, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK) {
			out_abort(o);
			return cv_fail(e, EX_OSERR, "%s: cannot start gzip "
			    "writer", path);
		}
	}
	o->cap = OUTSZ;
	o->buf = xmalloc(o->cap);
	return 0;
}

void
out_open_fd(struct cv_out *o, int fd, const char *name)
{
	memset(o, 0, sizeof(*o));
	o->name = name;
	o->fd = fd;
	o->cap = OUTSZ;
	o->buf = xmalloc(o->cap);
}

int
io_fault(size_t n)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static long long budget = -2;
	const char *s;
	int r = 0;

	pthread_mutex_lock(&mu);	/* outputs may be written by threads */
	if (budget == -2) {
		s = getenv("CV_TEST_ENOSPC_AFTER");
		budget = s != NULL ? atoll(s) : -1;
	}
	if (budget >= 0 && (long long)n > budget) {
		budget = 0;
		r = ENOSPC;
	} else if (budget >= 0)
		budget -= (long long)n;
	pthread_mutex_unlock(&mu);
	return r;
}

/*
 * Write at most this much a call.  The page cache of a file takes its
 * folios in the size of the write: 1 MiB writes get high-order pages,
 * which on a virtual machine whose host takes back freed memory are
 * fresh and slow to touch (writing 700 MiB to ext4 took 1.9-2.3 s in
 * 1 MiB writes, 0.66 s in 256 KiB ones and 0.24-0.39 s in 64 KiB ones on
 * a 2-core VM); elsewhere 64 KiB costs nothing (one call per 64 KiB).
 * A piece ends after the last newline in it, if it holds one: a buffer
 * ends on a whole line, and so then does each write, so that runs
 * appending (>>) to one file do not tear each other's lines.
 */
#define WRMAX ((size_t)64 << 10)

static void
rawwrite(struct cv_out *o, const char *p, size_t n)
{
	ssize_t k;
	size_t m;
	const char *nl;

	if (o->errnum == 0 && (o->errnum = io_fault(n)) != 0)
		return;
	while (n > 0 && o->errnum == 0) {
		m = n;
		if (m > WRMAX) {
			m = WRMAX;
			if ((nl = memrchr(p, '\n', m)) != NULL)
				m = (size_t)(nl - p) + 1;
		}
		k = write(o->fd, p, m);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			o->errnum = errno;
			return;
		}
		p += k;
		n -= (size_t)k;
	}
}

static void
deflate_out(struct cv_out *o, const char *p, size_t n, int flush)
{
	int r;

	if (o->zb == NULL)
		o->zb = xmalloc(OUTSZ);
	o->zs.next_in = (unsigned char *)p;
	o->zs.avail_in = (uInt)n;
	do {
		o->zs.next_out = o->zb;
		o->zs.avail_out = OUTSZ;
		r = deflate(&o->zs, flush);
		if (r == Z_STREAM_ERROR) {
			o->errnum = EIO;
			return;
		}
		rawwrite(o, (char *)o->zb, OUTSZ - o->zs.avail_out);
	} while (o->zs.avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
}

/*
 * The writer thread of out_async().  The caller fills o->buf while the
 * thread writes buf; a full o->buf is swapped with buf once the thread is
 * idle.  Only the thread touches o->fd, o->zs and o->errnum while it is
 * busy; the caller reads o->errnum after waiting for it.
 */
struct out_writer {
	pthread_t	 thr;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	char		*buf;
	size_t		 len;
	int		 busy;		/* buf is handed over */
	int		 quit;
};

static void write_buf(struct cv_out *, const char *, size_t);

static void *
writer_main(void *arg)
{
	struct cv_out *o = arg;
	struct out_writer *w = o->w;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->busy && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->busy)
			break;
		pthread_mutex_unlock(&w->mu);
		write_buf(o, w->buf, w->len);
		pthread_mutex_lock(&w->mu);
		w->busy = 0;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

void
out_async(struct cv_out *o)
{
	struct out_writer *w;
	int r;

	if (o->w != NULL)
		return;
	w = xcalloc(1, sizeof(*w));
	w->buf = xmalloc(o->cap);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	o->w = w;
	r = pthread_create(&w->thr, NULL, writer_main, o);
	if (r != 0) {
		o->w = NULL;
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w->buf);
		free(w);
	}
}

/* Wait until the writer has written everything handed to it. */
static void
writer_wait(struct out_writer *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->busy)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

void
out_async_end(struct cv_out *o)
{
	struct out_writer *w = o->w;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thr, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w->buf);
	free(w);
	o->w = NULL;
}

void
out_spill(struct cv_out *o)
{
	struct out_writer *w = o->w;
	char *t;

	if (w == NULL) {
		out_flush(o);
		return;
	}
	writer_wait(w);
	if (o->len == 0 || o->errnum != 0) {
		o->len = 0;
		return;
	}
	t = w->buf;
	pthread_mutex_lock(&w->mu);
	w->buf = o->buf;
	w->len = o->len;
	w->busy = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	o->buf = t;
	o->len = 0;
}

static void
write_buf(struct cv_out *o, const char *p, size_t n)
{
	if (o->gz)
		deflate_out(o, p, n, Z_NO_FLUSH);
	else
		rawwrite(o, p, n);
}

void
out_flush(struct cv_out *o)
{
	if (o->w != NULL)
		writer_wait(o->w);
	if (o->len == 0 || o->errnum != 0) {
		o->len = 0;
		return;
	}
	write_buf(o, o->buf, o->len);
	o->len = 0;
}

/*
 * Test hook for a disk that fails after a rename: when the last part of
 * path is $CV_TEST_EIO_DIRSYNC, syncing its folder fails with EIO.
 */
static int
sync_fault(const char *path)
{
	const char *t = getenv("CV_TEST_EIO_DIRSYNC"), *b;

	if (t == NULL)
		return 0;
	b = strrchr(path, '/');
	if (strcmp(b != NULL ? b + 1 : path, t) != 0)
		return 0;
	errno = EIO;
	return 1;
}

static int
syncdir(const char *path)
{
	char *copy = xstrdup(path);
	int fd, r = 0;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -1;
	if (fsync(fd) < 0 && errno != EINVAL)
		r = -1;
	close(fd);
	return r;
}

int
out_close(struct cv_out *o, struct cv_error *e)
{
	int r = 0;

	out_flush(o);
	out_async_end(o);
	if (o->gz) {
		if (o->errnum == 0)
			deflate_out(o, NULL, 0, Z_FINISH);
		deflateEnd(&o->zs);
		o->gz = 0;
	}
	if (o->given != NULL) {
		if (o->errnum == 0 && (o->flags & OUT_SYNC) && fsync(o->fd) < 0)
			o->errnum = errno;
		if (close(o->fd) < 0 && o->errnum == 0)
			o->errnum = errno;
		o->fd = -1;
	}
	if (o->tmp != NULL) {
		if (o->errnum == 0 && rename(o->tmp, o->path) < 0)
			o->errnum = errno;
		if (o->errnum == 0 && (o->flags & OUT_SYNC) &&
		    (syncdir(o->path) < 0 || sync_fault(o->path)))
			o->errnum = errno;
		if (o->errnum != 0)
			unlink(o->tmp);
		tmp_unregister(o->slot);
		o->slot = 0;
	}
	if (o->errnum != 0) {
		cv_fail(e, EX_IOERR, "%s: %s", o->name, strerror(o->errnum));
		r = -1;
	}
	free(o->buf);
	free(o->zb);
	free(o->tmp);
	free(o->path);
	free(o->given);
	o->buf = o->tmp = o->path = o->given = NULL;
	o->zb = NULL;
	return r;
}

void
out_abort(struct cv_out *o)
{
	out_async_end(o);	/* after the buffer handed over, if any */
	if (o->gz) {
		deflateEnd(&o->zs);
		o->gz = 0;
	}
	if (o->given != NULL) {
		if (o->fd >= 0)
			close(o->fd);
		if (o->tmp != NULL)
			unlink(o->tmp);
		tmp_unregister(o->slot);
		o->slot = 0;
	} else
		out_flush(o);
	free(o->buf);
	free(o->zb);
	free(o->tmp);
	free(o->path);
	free(o->given);
	o->buf = o->tmp = o->path = o->given = NULL;
	o->zb = NULL;
	o->fd = -1;
}
