/*
 * Unit tests for the output side of lib/io.c with a writer thread
 * (out_async()): every byte arrives in order through buffers swapped with
 * the thread, huge writes and single bytes alike, plain and gzip; out_flush()
 * leaves everything written, however soon after a handover it comes;
 * out_abort() leaves no file behind.  On the input side, a file mapped
 * whole (IN_WHOLE) comes as one block whose pages in_release() lets go
 * in 16 MiB steps, and as 2 MiB windows without it.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "test.h"

/* Writes of random sizes (some far over a buffer) to o; the bytes in want. */
static void
fill(struct cv_out *o, struct buf *want, size_t total)
{
	static char chunk[700 * 1024];
	size_t i, n;

	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)('a' + test_rand() % 26);
	while (want->len < total) {
		uint64_t r = test_rand();

		if (r % 50 == 0)
			n = (size_t)(r >> 8) % sizeof(chunk);
		else
			n = (size_t)(r >> 8) % 3000;
		if (r % 7 == 0) {
			out_putc(o, '\n');
			buf_add(want, "\n", 1);
		}
		out_write(o, chunk + (r >> 32) % (sizeof(chunk) - n), n);
		buf_add(want, chunk + (r >> 32) % (sizeof(chunk) - n), n);
	}
}

/* The whole content of path, read through in_open() (gzip or not). */
static int
slurp(const char *path, struct buf *got)
{
	struct cv_in in;
	struct cv_error e;
	const char *p;
	ssize_t n;

	if (in_open(&in, path, 0, &e) < 0)
		return -1;
	while ((n = in_next(&in, &p, &e)) > 0)
		buf_add(got, p, (size_t)n);
	in_close(&in);
	return n < 0 ? -1 : 0;
}

int
main(void)
{
	char dir[] = "/tmp/io_test.XXXXXX", path[256], gzpath[256],
	    spath[256], apath[256];
	struct buf want = BUF_INIT, got = BUF_INIT;
	struct cv_out o;
	struct cv_error e;
	struct stat st;
	int fd, i, bad;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/out.tsv", dir);
	snprintf(gzpath, sizeof(gzpath), "%s/out.tsv.gz", dir);
	snprintf(spath, sizeof(spath), "%s/spool", dir);
	snprintf(apath, sizeof(apath), "%s/aborted.tsv", dir);

	/* A plain file: out_flush() midway leaves every byte in the file. */
	CHECK(out_open(&o, path, 0, &e) == 0);
	out_async(&o);
	CHECK(o.w != NULL);
	fill(&o, &want, (size_t)3 << 20);
	out_flush(&o);
	CHECK(o.errnum == 0);
	CHECK(fstat(o.fd, &st) == 0 && (size_t)st.st_size == want.len);
	fill(&o, &want, (size_t)9 << 20);
	CHECK(o.bytes == want.len);
	CHECK(out_close(&o, &e) == 0);
	CHECK(o.w == NULL);
	CHECK(slurp(path, &got) == 0);
	CHECK(got.len == want.len && memcmp(got.p, want.p, want.len) == 0);

	/*
	 * out_flush() returns once the thread has written everything: a
	 * flush after every buffer or so, the file's size checked each time.
	 */
	want.len = 0;
	CHECK(out_open(&o, path, 0, &e) == 0);
	out_async(&o);
	for (i = 0, bad = 0; i < 100; i++) {
		fill(&o, &want, want.len + 300 * 1024);
		out_flush(&o);
		if (fstat(o.fd, &st) != 0 || (size_t)st.st_size != want.len)
			bad++;
	}
	CHECK(bad == 0);
	CHECK(out_close(&o, &e) == 0);
	got.len = 0;
	CHECK(slurp(path, &got) == 0);
	CHECK(got.len == want.len && memcmp(got.p, want.p, want.len) == 0);

	/* gzip, compressed by the writer thread. */
	want.len = got.len = 0;
	CHECK(out_open(&o, gzpath, OUT_GZFAST, &e) == 0);
	CHECK(o.gz);
	out_async(&o);
	fill(&o, &want, (size_t)5 << 20);
	CHECK(out_close(&o, &e) == 0);
	CHECK(slurp(gzpath, &got) == 0);
	CHECK(got.len == want.len && memcmp(got.p, want.p, want.len) == 0);

	/* A descriptor, as the spool: written up to the offset after a flush. */
	want.len = got.len = 0;
	fd = open(spath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	out_open_fd(&o, fd, "spool");
	out_async(&o);
	fill(&o, &want, (size_t)2 << 20);
	out_flush(&o);
	CHECK(lseek(fd, 0, SEEK_CUR) == (off_t)want.len);
	out_async_end(&o);
	CHECK(o.w == NULL);
	free(o.buf);
	close(fd);
	CHECK(slurp(spath, &got) == 0);
	CHECK(got.len == want.len && memcmp(got.p, want.p, want.len) == 0);

	/* Given up: the temporary file goes, the target never appears. */
	want.len = 0;
	CHECK(out_open(&o, apath, 0, &e) == 0);
	out_async(&o);
	fill(&o, &want, (size_t)1 << 20);
	out_abort(&o);
	CHECK(o.w == NULL);
	CHECK(stat(apath, &st) < 0);

	/* A 40 MiB file read mapped whole, then a window at a time. */
	{
		struct cv_in in;
		const char *p;
		ssize_t n;
		size_t total = 0;
		int windows = 0;

		buf_reset(&want);
		fd = open(spath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		CHECK(fd >= 0);
		out_open_fd(&o, fd, "mapped");
		fill(&o, &want, (size_t)40 << 20);
		CHECK(out_close(&o, &e) == 0);
		close(fd);
		CHECK(in_open(&in, spath, IN_WHOLE, &e) == 0);
		n = in_next(&in, &p, &e);
		CHECK(n == (ssize_t)want.len && memcmp(p, want.p, want.len) == 0);
		CHECK(in_lasting(&in));
		in_release(&in, p + ((size_t)10 << 20));
		CHECK(in.released == 0);
		in_release(&in, p + ((size_t)20 << 20));
		CHECK(in.released == (size_t)16 << 20);
		in_release(&in, p + ((size_t)39 << 20));
		CHECK(in.released == (size_t)32 << 20);
		CHECK(memcmp(p + in.released, want.p + in.released,
		    want.len - in.released) == 0);
		CHECK(in_next(&in, &p, &e) == 0);
		in_close(&in);
		CHECK(in_open(&in, spath, 0, &e) == 0);
		bad = 0;
		while ((n = in_next(&in, &p, &e)) > 0) {
			in_release(&in, p + n);	/* does nothing here */
			bad += in_lasting(&in) || in.released != 0 ||
			    memcmp(p, want.p + total, (size_t)n) != 0;
			total += (size_t)n;
			windows++;
		}
		CHECK(bad == 0);
		CHECK(n == 0 && total == want.len);
		CHECK(windows == (int)((want.len + ((size_t)2 << 20) - 1) >>
		    21));
		in_close(&in);
	}

	/*
	 * Two outputs that would end in one file: the same name written
	 * otherwise, a link to it, stdout twice or through /dev/stdout;
	 * not two names of /dev/null, nor a file beside the other.  A file
	 * is in a folder by its name or by where its links lead, whether
	 * the folder is there yet or not.
	 */
	{
		char a[300], b[300], l[300], sub[300], sl[300];

		snprintf(a, sizeof(a), "%s/../%s/new.tsv", dir, dir + 5);
		snprintf(b, sizeof(b), "%s/new.tsv", dir);
		snprintf(l, sizeof(l), "%s/link.tsv", dir);
		snprintf(sub, sizeof(sub), "%s/sub", dir);
		snprintf(sl, sizeof(sl), "%s/sub/", dir);
		CHECK(out_same(a, b));
		CHECK(!out_same(a, path));
		CHECK(out_same(NULL, "-"));
		CHECK(out_same("-", "-"));
		CHECK(!out_same(NULL, b));
		CHECK(!out_same("/dev/null", "/dev/null"));
		CHECK(symlink("new.tsv", l) == 0);
		CHECK(out_same(l, b));
		CHECK(out_same(spath, spath));
		CHECK(!out_same(spath, b));
		CHECK(out_within(b, dir));
		CHECK(!out_within(b, sub));
		CHECK(!out_within(NULL, dir));
		snprintf(a, sizeof(a), "%s/sub/x.tsv", dir);
		CHECK(out_within(a, sub));
		CHECK(out_within(a, sl));
		CHECK(mkdir(sub, 0777) == 0);
		CHECK(out_within(a, sl));
		unlink(l);
		snprintf(b, sizeof(b), "%s/sub/x.tsv", dir);
		CHECK(symlink(b, l) == 0);
		CHECK(out_within(l, sub));
		CHECK(out_same(l, b));
		unlink(l);
		CHECK(rmdir(sub) == 0);
	}

	unlink(path);
	unlink(gzpath);
	unlink(spath);
	CHECK(rmdir(dir) == 0);	/* nothing else was left in it */
	buf_free(&want);
	buf_free(&got);
	return test_summary();
}
