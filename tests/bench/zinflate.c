/*
 * zinflate: a baseline of `make bench` for information: zlib's inflate
 * alone, reading a gzip file with gzread(3) into a buffer and dropping
 * the bytes, as cv-ingest's reader does in a thread of its own.  zcat is
 * the target's baseline; this shows how much of the gzip run's time the
 * inflating itself takes when zlib does it in-process.
 */
#include <stdio.h>
#include <zlib.h>

int
main(int argc, char *argv[])
{
	static char buf[1 << 18];
	unsigned long long bytes = 0;
	gzFile f;
	int n, err;

	if (argc != 2) {
		fprintf(stderr, "usage: zinflate FILE.gz\n");
		return 64;
	}
	if ((f = gzopen(argv[1], "rb")) == NULL) {
		perror(argv[1]);
		return 66;
	}
	(void)gzbuffer(f, 1 << 18);
	while ((n = gzread(f, buf, sizeof(buf))) > 0)
		bytes += (unsigned)n;
	if (n < 0) {
		fprintf(stderr, "zinflate: %s: %s\n", argv[1], gzerror(f, &err));
		return 65;
	}
	/* A truncated stream shows only here (Z_BUF_ERROR). */
	if ((err = gzclose(f)) != Z_OK) {
		fprintf(stderr, "zinflate: %s: %s\n", argv[1], err == Z_BUF_ERROR ?
		    "truncated gzip data" : "cannot read it");
		return 65;
	}
	printf("%llu bytes\n", bytes);
	return 0;
}
