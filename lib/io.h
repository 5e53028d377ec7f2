/*
 * io: reading inputs and writing outputs the way every cv command does.
 *
 * Input: a file name, or "-"/NULL for stdin.  gzip is detected from the
 * bytes (also on stdin); concatenated gzip members are read as one stream;
 * a truncated or corrupt gzip stream, or bytes after the last member, is an
 * error (never a short read).  A plain regular file is mapped into memory
 * a window at a time and handed out from the mapping, without copying;
 * the window before is unmapped, so memory does not grow with the file
 * (with IN_WHOLE, the file is one window, and the caller says which of
 * its bytes it is done with).
 * Standard input is mapped only when it stands at its start (a caller may
 * have read some of it already).  A mapped file that becomes shorter while
 * it is read ends the run at once: SIGBUS is caught, the temporary output
 * files are removed, the file is named and the exit status is EX_IOERR.
 * Data comes out in blocks; with IN_THREAD
 * a second thread reads and inflates ahead, so decompression runs beside
 * the caller's parsing.  The line reader on top hands out one line at a time
 * without copying, except for a line that spans two blocks.
 *
 * Output: stdout, or a file written atomically (a temporary file in the same
 * folder, renamed into place by out_close() only when everything was
 * written).  A file replaced keeps its mode, and its owner and group when
 * the user may give them.  A run killed by SIGHUP, SIGINT, SIGTERM,
 * SIGPIPE, SIGQUIT, SIGXCPU, SIGALRM, SIGUSR1 or SIGUSR2 (one not ignored
 * at the start) removes the temporary files still open before it dies,
 * however many are open (out_open() refuses a file it could not remove
 * so, past a million); SIGXFSZ is ignored, so that a write past
 * ulimit -f fails (EFBIG) and out_close() reports it and removes the
 * file.  A name ending in ".gz" is gzip-compressed.
 * Write errors are remembered and reported by out_close() with the errno
 * of the first one.
 */
#ifndef CV_IO_H
#define CV_IO_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include <zlib.h>

#include "buf.h"
#include "diag.h"

#define IN_BLOCK	(1 << 20)
/*
 * Blocks inflated from gzip are larger: cv-ingest parses a block's
 * quote-free lines on two threads, which meet at the end of each block
 * (with 1 MiB blocks of a 1M-line gzip export, 11% of the two CPUs sat
 * idle, 7% with 4 MiB), and a block of gzip input costs a quarter of its
 * size in compressed bytes to wait for on a pipe.
 */
#define IN_ZBLOCK	(4 << 20)
#define IN_NBLOCKS	4

/*
 * IN_WHOLE: a plain regular file is mapped whole, not a window at a time,
 * so that it is one block whose bytes stay put until they are released
 * (in_release()) or the next in_next() ends the file: the caller may hand
 * them to other threads meanwhile.  Its pages come in as they are first
 * read.  Not under a limit on the address space (ulimit -v), where the
 * file comes in windows as without it.
 */
enum { IN_THREAD = 1, IN_WHOLE = 2 };

struct in_block {
	char	*p;
	size_t	 len;
};

struct cv_in {
	const char	*name;		/* for messages: the path, or "<stdin>" */
	int		 fd;
	int		 gz;		/* the bytes are gzip */
	size_t		 blksz;		/* IN_BLOCK, or IN_ZBLOCK for gzip */
	int		 flags;
	uint64_t	 rawbytes;	/* bytes read from the file */
	/* reading state (producer side) */
	z_stream	 zs;
	int		 zinit;
	int		 zend;		/* the last member ended cleanly */
	unsigned char	*raw;
	size_t		 rawlen;
	int		 rawfirst;	/* raw holds bytes not yet used as output */
	int		 eof;
	struct cv_error	 err;
	int		 failed;
	/* the ring of blocks */
	struct in_block	 blk[IN_NBLOCKS];
	int		 head;		/* next block the consumer takes */
	int		 tail;		/* next block the producer fills */
	int		 count;		/* full blocks waiting */
	int		 held;		/* the consumer holds block head-1 */
	int		 done;		/* producer finished (EOF or error) */
	int		 stop;		/* consumer asks the producer to stop */
	int		 threaded;
	pthread_t	 thr;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	/* a plain regular file is mapped, not read, a window at a time */
	char		*map;		/* the current window */
	size_t		 maplen;	/* its length */
	uint64_t	 mapoff;	/* its offset in the file */
	uint64_t	 filelen;
	int		 whole;		/* IN_WHOLE: one window, the file */
	size_t		 released;	/* the window's first bytes, unmapped */
	int		 mapslot;	/* its SIGBUS slot plus one, or 0 */
};

/*
 * Open path (or stdin for NULL or "-").  Returns 0, or -1 with e filled
 * (EX_NOINPUT when the file cannot be opened, EX_IOERR on a read error).
 */
int	in_open(struct cv_in *in, const char *path, int flags,
	    struct cv_error *e);
/*
 * Whether in_open() would find path there to read, without opening it (a
 * FIFO would wait for its writer): 0, or -1 with e filled as in_open()
 * fills it and errno kept (ENOENT for a missing file).
 */
int	in_check(const char *path, struct cv_error *e);
/*
 * Next block of data: returns its length and sets *p, 0 at the end of the
 * input, -1 on error (e filled: EX_DATAERR for corrupt or truncated gzip,
 * EX_IOERR for read errors).  The block stays valid until the next call.
 */
ssize_t	in_next(struct cv_in *in, const char **p, struct cv_error *e);
/*
 * The bytes of the current block before upto are no longer needed: with
 * IN_WHOLE, their pages are unmapped, 16 MiB at a time, so that memory
 * does not grow with the file.  Otherwise nothing happens.
 */
void	in_release(struct cv_in *in, const char *upto);
/* Is the block the whole file, mapped (IN_WHOLE took effect)? */
int	in_lasting(const struct cv_in *in);
void	in_close(struct cv_in *in);

/*
 * Lines: each call returns one line without its '\n' (a '\r' before it is
 * kept; the caller decides what CR means).  Returns 1 and sets *p and *n,
 * 0 at the end, -1 on error.  The line stays valid until the next call and
 * may be modified in place.  The last line may lack its '\n': nolf says so.
 */
struct lines {
	struct cv_in	*in;
	const char	*blk;		/* current block */
	size_t		 blen;
	size_t		 bpos;
	struct buf	 carry;		/* a line spanning blocks */
	long		 lineno;	/* number of the line last returned */
	int		 eof;
	int		 bom;		/* a UTF-8 BOM was removed */
	int		 nolf;		/* the line returned last had no '\n' */
};

void	lines_init(struct lines *l, struct cv_in *in);
int	lines_next(struct lines *l, char **p, size_t *n, struct cv_error *e);
void	lines_free(struct lines *l);

enum {
	OUT_GZFAST = 1,		/* gzip at level 1 instead of 6 */
	OUT_SYNC = 2,		/* fsync the file (and its folder) before rename */
	OUT_PLAIN = 4,		/* never gzip, whatever the name */
	OUT_NOFOLLOW = 8	/* replace path itself, beside it, even when it
				   is a symbolic link or not a regular file */
};

struct out_writer;

struct cv_out {
	const char	*name;		/* for messages: "stdout" or the path */
	char		*given;		/* the path as given, NULL for stdout */
	char		*path;		/* name to rename onto, NULL when the
					   file is written as it is */
	char		*tmp;		/* temporary name while writing */
	int		 fd;
	int		 flags;
	int		 gz;
	z_stream	 zs;
	char		*buf;
	size_t		 len;
	size_t		 cap;
	int		 errnum;	/* first write error, 0 if none; with
					   a writer thread, read it only after
					   out_flush() */
	int		 slot;		/* 1 + tmp's place among the names
					   removed on a signal, 0 if none */
	uint64_t	 bytes;		/* bytes handed to out_write */
	struct out_writer *w;		/* the writer thread, out_async() */
	unsigned char	*zb;		/* gzip output, OUTSZ bytes */
};

/*
 * Open stdout (path NULL or "-") or a temporary file beside path (beside
 * the final target of a symbolic link, or of a chain of them, whether the
 * target exists or not).  A path that exists and is not a regular file (a
 * device, a FIFO) is written directly; so is one that leads to a link of
 * /proc (/dev/stdout, /dev/fd/N), one of our own descriptors through a
 * copy of it, from its offset (EX_CANTCREAT when it is not open for
 * writing).  A link whose target realpath() cannot name is refused.  With OUT_NOFOLLOW (a store's own
 * files) the temporary file is always beside path and renamed onto it,
 * replacing a link rather than what it points to.  Returns 0, or -1 with e filled
 * (EX_CANTCREAT, also for a name ending in '/' or longer than a folder
 * takes; EX_USAGE for an empty name).
 */
int	out_open(struct cv_out *o, const char *path, int flags,
	    struct cv_error *e);
/*
 * Would outputs a and b (NULL or "-" for stdout) end in the same file,
 * each renamed over the other's?  Links are followed as out_open()
 * follows them; files there already are compared by device and inode,
 * so /dev/stdout is stdout, and new names by their folder's full name.
 * Two names for a character device (/dev/null) are not the same file.
 * For refusing such options before any work.
 */
int	out_same(const char *a, const char *b);
/*
 * Would output path be written into folder dir (its name, or the file its
 * links lead to, a file of dir), where dir need not exist yet?
 */
int	out_within(const char *path, const char *dir);
/*
 * Write to an open descriptor (a spool file, say) through the same buffer;
 * out_close() then neither renames nor closes it.
 */
void	out_open_fd(struct cv_out *o, int fd, const char *name);
/* Write everything buffered so far; remembers the first error. */
void	out_flush(struct cv_out *o);
/*
 * Finish: flush, end the gzip stream, close, and rename the temporary file
 * into place.  Returns 0, or -1 with e filled (EX_IOERR) after removing the
 * temporary file.
 */
int	out_close(struct cv_out *o, struct cv_error *e);
/* Give up: remove the temporary file (stdout is only flushed). */
void	out_abort(struct cv_out *o);

/*
 * Hand the writing to a thread of its own: each full buffer goes to it
 * while the caller fills the next, so that the write(2) calls (and the
 * gzip compression) of a large output run beside the work that makes it.
 * When no thread can be started, the output stays as it was.  While the
 * thread runs, o must not move, one thread only writes to o, and o->fd and
 * o->errnum are the writer's until out_flush() returns: it waits until
 * everything handed over is written (errors are kept as without the
 * thread).  Bytes reach the descriptor at moments of the thread's own, so
 * an output that shares its file with messages (stdout and stderr on one
 * terminal or pipe) should not have one.  out_close() and out_abort() end
 * the thread; a caller that frees o->buf itself (an output opened with
 * out_open_fd()) ends it first with out_async_end(), since the buffers
 * change places with every handover.
 */
void	out_async(struct cv_out *o);
void	out_async_end(struct cv_out *o);
/* For out_write() and out_putc(): a full buffer, written or handed over. */
void	out_spill(struct cv_out *o);

/*
 * Test hook for a full disk: when $CV_TEST_ENOSPC_AFTER is set, writes
 * fail with ENOSPC once that many bytes have been written in all (by all
 * threads: between outputs written at once, which fails first is not
 * fixed).  Returns 0, or ENOSPC when a write of n more bytes must fail.
 */
int	io_fault(size_t n);

static inline void
out_write(struct cv_out *o, const void *p, size_t n)
{
	o->bytes += n;
	if (o->len + n > o->cap) {
		out_spill(o);
		if (n > o->cap) {
			/* A huge write goes out a buffer at a time. */
			const char *s = p;

			while (n > 0) {
				size_t k = n < o->cap ? n : o->cap;

				memcpy(o->buf, s, k);
				o->len = k;
				out_spill(o);
				s += k;
				n -= k;
			}
			return;
		}
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static inline void
out_putc(struct cv_out *o, char c)
{
	if (o->len == o->cap)
		out_spill(o);
	o->buf[o->len++] = c;
	o->bytes++;
}

static inline void
out_puts(struct cv_out *o, const char *s)
{
	out_write(o, s, strlen(s));
}

#endif
