/*
 * csvcount: the baseline of `make bench`: a bare libcsv pass over a file
 * that only counts fields and records, reading with read(2) in 1 MiB
 * blocks.  cv-ingest's speed is reported as a ratio to this.
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned long long fields, records;

static void
cb1(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	(void)data;
	fields++;
}

static void
cb2(int c, void *data)
{
	(void)c;
	(void)data;
	records++;
}

int
main(int argc, char *argv[])
{
	struct csv_parser p;
	static char buf[1 << 20];
	ssize_t n;
	int fd = 0;

	if (argc > 1 && (fd = open(argv[1], O_RDONLY)) < 0) {
		perror(argv[1]);
		return 66;
	}
	csv_init(&p, 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (csv_parse(&p, buf, (size_t)n, cb1, cb2, NULL) != (size_t)n) {
			fprintf(stderr, "csvcount: %s\n",
			    csv_strerror(csv_error(&p)));
			return 65;
		}
	csv_fini(&p, cb1, cb2, NULL);
	csv_free(&p);
	printf("%llu records, %llu fields\n", records, fields);
	return 0;
}
