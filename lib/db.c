/*
 * db: the history store (see db.h).
 *
 * Writing happens in three steps.  While ingest_run() delivers accepted
 * lines, db_sink() stages them, one plain file per partition, in a
 * staging folder inside the store.  db_commit() then merges each staged
 * partition with its live file into a new file of the next generation,
 * writes the new manifest, and renames it into CURRENT: the one step that
 * makes the night visible.  Last, the files the old manifest named and the
 * new one does not are removed.  Every new file is fsync'd before the
 * manifest that names it, and the manifest before CURRENT.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "hash.h"
#include "io.h"
#include "num.h"
#include "profile.h"
#include "tsv.h"

#define MAXOPEN 64

struct dbfile {
	int		 kind;
	char		*part;		/* txn/2026/2026-11-21 */
	char		*file;		/* relative path of the data file */
	long		 gen;		/* the generation in its name */
	long long	 rows;
	uint32_t	 crc;
	int		 gone;		/* replaced by this run's commit */
};

struct stage {
	char		*part;
	char		*path;
	FILE		*f;
	long long	 rows;
	unsigned long	 used;		/* for closing the least recently used */
};

struct db {
	char		*dir;
	int		 lockfd;
	int		 mode;
	int		 quiet;
	double		 wait;		/* seconds for the lock, < 0: no limit */
	int		 nocurrent;	/* no CURRENT file was found */
	long		 gen;
	struct dbfile	*f;
	int		 nf;
	char		**paths;
	long long	*pathrows;	/* their row counts */
	int		 npaths;
	char		*stagedir;
	struct stage	*st;
	int		 nst;
	int		 capst;
	int		*ht;		/* part hash -> stage index + 1 */
	size_t		 htcap;
	int		 nopen;
	unsigned long	 tick;
	int		 kind;
	int		 errnum;	/* staging's first error, and */
	int		 errstatus;	/* its exit status */
	struct ingest_sink sink;
	struct buf	 pathbuf;
};

static const char *const kind_dirs[KIND_COUNT] = { "txn", "members",
    "contacts", "staff" };

void
db_crashpoint(const char *name)
{
	const char *p = getenv("CV_TEST_CRASH");

	if (p != NULL && strcmp(p, name) == 0)
		raise(SIGKILL);
}

const char *
db_dir(const char *dir)
{
	const char *p;

	if (dir != NULL && *dir != '\0')
		return dir;
	p = getenv("CV_DB");
	if (p != NULL && *p != '\0')
		return p;
	return "cvdb";
}

static char *
path2(struct db *db, const char *rel)
{
	db->pathbuf.len = 0;
	buf_printf(&db->pathbuf, "%s/%s", db->dir, rel);
	return db->pathbuf.p;
}

/*
 * mkdir(path), and when it made the folder, sync the folder it is in, so
 * that a manifest synced later never names a file in a folder a power
 * cut lost.  Returns 0, or -1 with errno set.
 */
static int
mkdir_synced(const char *path)
{
	char *copy;
	int fd, r = 0, en;

	if (mkdir(path, 0777) < 0)
		return errno == EEXIST ? 0 : -1;
	copy = xstrdup(path);
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return 0;	/* a folder it may not read: it cannot sync it */
	if (fsync(fd) < 0 && errno != EINVAL)
		r = -1;
	en = errno;
	close(fd);
	errno = en;
	return r;
}

static int
mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;
	int r = 0;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir_synced(p) < 0)
			r = -1;
		*s = '/';
	}
	if (mkdir_synced(p) < 0)
		r = -1;
	free(p);
	return r;
}

static int
part_kind(const char *part)
{
	int k;

	for (k = 0; k < KIND_COUNT; k++) {
		size_t n = strlen(kind_dirs[k]);

		if (strncmp(part, kind_dirs[k], n) == 0 &&
		    (part[n] == '\0' || part[n] == '/'))
			return k;
	}
	return -1;
}

static int
cmp_files(const void *a, const void *b)
{
	const struct dbfile *x = a, *y = b;

	return strcmp(x->part, y->part);
}

static int
ncols(const char *h, size_t len)
{
	int n = 1;
	size_t i;

	for (i = 0; i < len; i++)
		n += h[i] == '\t';
	return n;
}

/* The CRC-32 of a store file goes on over one more line and its LF. */
static uint32_t
crc_line(uint32_t crc, const char *p, size_t n)
{
	crc = crc32(crc, (const unsigned char *)p, (uInt)n);
	return crc32(crc, (const unsigned char *)"\n", 1);
}

/* Is s all digits (at least one)? */
static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/*
 * The generation in s[0..n) if it is written as the store writes one
 * (%06ld: six digits, more only without a leading zero), else -1.
 */
static long
gen_parse(const char *s, size_t n)
{
	char b[20], canon[24];
	long g;

	if (n < 6 || n >= sizeof(b) || !digits(s, n))
		return -1;
	memcpy(b, s, n);
	b[n] = '\0';
	g = strtol(b, NULL, 10);
	snprintf(canon, sizeof(canon), "%06ld", g);
	return strcmp(b, canon) == 0 ? g : -1;
}

/*
 * The kind of a partition name the store writes (txn/YYYY/YYYY-MM-DD of
 * a real day in its year's folder, contacts/YYYY-MM, members, staff), or
 * -1 for any other.
 */
static int
part_valid(const char *part)
{
	size_t n = strlen(part);
	char b[11];
	int32_t d;

	if (strcmp(part, "members") == 0)
		return KIND_MEMBERS;
	if (strcmp(part, "staff") == 0)
		return KIND_STAFF;
	if (n == 19 && strncmp(part, "txn/", 4) == 0 && part[8] == '/' &&
	    memcmp(part + 4, part + 9, 4) == 0 &&
	    date_parse(part + 9, 10, &d) == 0)
		return KIND_TXN;
	if (n == 16 && strncmp(part, "contacts/", 9) == 0) {
		memcpy(b, part + 9, 7);
		memcpy(b + 7, "-01", 4);
		if (date_parse(b, 10, &d) == 0)
			return KIND_CONTACTS;
	}
	return -1;
}

/*
 * Is rel (relative to the store) a data file's name as the store writes
 * it, PART.NNNNNN.tsv.gz?  Returns its kind and sets part (size
 * partsz) and *gen, or -1 for any other name.
 */
static int
file_part(const char *rel, char *part, size_t partsz, long *gen)
{
	size_t n = strlen(rel), k;
	const char *dot;

	if (n < 8 || strcmp(rel + n - 7, ".tsv.gz") != 0)
		return -1;
	k = n - 7;
	for (dot = rel + k - 1; dot > rel && *dot != '.'; dot--)
		;
	if (dot == rel || (size_t)(dot - rel) >= partsz ||
	    (*gen = gen_parse(dot + 1, (size_t)(rel + k - dot - 1))) < 0)
		return -1;
	memcpy(part, rel, (size_t)(dot - rel));
	part[dot - rel] = '\0';
	return part_valid(part);
}

/*
 * Is nm a name the store writes in the folder rel ("" for the top):
 * CURRENT, MANIFEST-N, a data file PART.N.tsv.gz (at the top, only for a
 * kind kept in one file), or the temporary name .NAME.XXXXXX of one?
 */
static int
store_name(const char *rel, const char *nm)
{
	size_t n = strlen(nm), k;
	const char *dot;
	char base[256];
	int i;

	if (nm[0] == '.') {
		if (n < 9 || n - 8 >= sizeof(base) || nm[n - 7] != '.')
			return 0;
		memcpy(base, nm + 1, n - 8);
		base[n - 8] = '\0';
		return store_name(rel, base);
	}
	if (*rel == '\0' && (strcmp(nm, "CURRENT") == 0 ||
	    (strncmp(nm, "MANIFEST-", 9) == 0 && digits(nm + 9, n - 9))))
		return 1;
	if (n < 9 || strcmp(nm + n - 7, ".tsv.gz") != 0)
		return 0;
	k = n - 7;
	for (dot = nm + k - 1; dot > nm && *dot != '.'; dot--)
		;
	if (dot == nm || !digits(dot + 1, (size_t)(nm + k - dot - 1)))
		return 0;
	if (*rel != '\0')
		return 1;
	for (i = 0; i < KIND_COUNT; i++)
		if (strlen(kind_dirs[i]) == (size_t)(dot - nm) &&
		    strncmp(nm, kind_dirs[i], (size_t)(dot - nm)) == 0)
			return 1;
	return 0;
}

static int scan_folder(struct db *, long *, int *, char *, size_t,
    struct cv_error *);

/*
 * For the message of a store without a manifest: " (MANIFEST-1 is no
 * name the store writes: ...)" for the first MANIFEST- file in it whose
 * number is not written as the store writes it, else "".
 */
static const char *
odd_manifest(const struct db *db, char *b, size_t bsz)
{
	DIR *d;
	struct dirent *de;

	b[0] = '\0';
	if ((d = opendir(db->dir)) == NULL)
		return b;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "MANIFEST-", 9) == 0 &&
		    gen_parse(de->d_name + 9, strlen(de->d_name + 9)) < 0) {
			snprintf(b, bsz, " (%.100s is no manifest the store "
			    "writes: their names are MANIFEST- and six "
			    "digits or more, such as MANIFEST-000001)",
			    de->d_name);
			break;
		}
	closedir(d);
	return b;
}

/*
 * The manifest CURRENT names cannot be opened: if it is not there, the
 * store is damaged; say how to name the newest manifest there instead.
 * Returns -1 with e filled then, 0 for another error (e as it is).
 */
static int
manifest_missing(struct db *db, const char *mpath, struct cv_error *e)
{
	struct stat sb;
	struct cv_error e2;
	char other[NAME_MAX + 1], odd[256];
	long newest;
	int store;

	if (lstat(mpath, &sb) == 0 || errno != ENOENT)
		return 0;
	if (scan_folder(db, &newest, &store, other, sizeof(other), &e2) < 0 ||
	    newest < 0)
		return cv_fail(e, EX_DATAERR, "%s: CURRENT names this manifest, "
		    "but it is missing, and so is every other manifest: the "
		    "store is damaged%s", mpath, odd_manifest(db, odd,
		    sizeof(odd)));
	return cv_fail(e, EX_DATAERR, "%s: CURRENT names this manifest, but "
	    "it is missing: the store is damaged; if MANIFEST-%06ld is the "
	    "last good night, restore it with: echo MANIFEST-%06ld > %s/CURRENT, "
	    "then run cv-ingest --db %s --check", mpath, newest, newest,
	    db->dir, db->dir);
}

/* Read CURRENT and the manifest it names. */
static int
load_manifest(struct db *db, struct cv_error *e)
{
	struct tsv_reader r;
	char cur[64], *paths[1], *mpath;
	FILE *f;
	size_t n;
	int rc, ck, cp, cf, cr, cc, i;

	f = fopen(path2(db, "CURRENT"), "r");
	if (f == NULL) {
		if (errno == ENOENT) {
			db->gen = 0;
			db->nocurrent = 1;
			return 0;
		}
		return cv_fail(e, EX_NOINPUT, "%s: %s", db->pathbuf.p,
		    strerror(errno));
	}
	n = fread(cur, 1, sizeof(cur) - 1, f);
	fclose(f);
	cur[n] = '\0';
	/* Its one line may lack the LF, or end in CRLF, when made by hand. */
	if (n > 0 && cur[n - 1] == '\n')
		cur[--n] = '\0';
	if (n > 0 && cur[n - 1] == '\r')
		cur[--n] = '\0';
	if (n < 10 || strncmp(cur, "MANIFEST-", 9) != 0 ||
	    strlen(cur) != n)
		return cv_fail(e, EX_DATAERR, "%s/CURRENT: not a manifest name",
		    db->dir);
	if ((db->gen = gen_parse(cur + 9, n - 9)) < 0)
		return cv_fail(e, EX_DATAERR, "%s/CURRENT: '%s' is not a "
		    "manifest name (MANIFEST- and six digits)", db->dir, cur);
	mpath = xstrdup(path2(db, cur));
	paths[0] = mpath;
	rc = tsv_open(&r, paths, 1, 0, e);
	if (rc < 0 && manifest_missing(db, mpath, e) < 0) {
		free(mpath);
		return -1;
	}
	if (rc == 0) {
		ck = tsv_col(&r, "kind");
		cp = tsv_col(&r, "part");
		cf = tsv_col(&r, "file");
		cr = tsv_col(&r, "rows");
		cc = tsv_col(&r, "crc32");
		if (ck < 0 || cp < 0 || cf < 0 || cr < 0 || cc < 0)
			rc = cv_fail(e, EX_DATAERR, "%s: not a manifest", mpath);
	}
	while (rc == 0 && (rc = tsv_next(&r, e)) == 1) {
		struct dbfile *d;
		char *part = xstrndup(r.f[cp].p, r.f[cp].n);
		int64_t rows;

		db->f = xreallocarray(db->f, (size_t)db->nf + 1, sizeof(*db->f));
		d = &db->f[db->nf++];
		memset(d, 0, sizeof(*d));
		d->part = part;
		d->file = xstrndup(r.f[cf].p, r.f[cf].n);
		d->kind = part_kind(part);
		/* The kind written must be the part's; rows and CRC numbers. */
		if (d->kind < 0 || part_valid(part) != d->kind ||
		    r.f[ck].n != strlen(kind_dirs[d->kind]) ||
		    memcmp(r.f[ck].p, kind_dirs[d->kind], r.f[ck].n) != 0 ||
		    num_parse_int(r.f[cr].p, r.f[cr].n, &rows) || rows < 0 ||
		    r.f[cc].n != 8 || strspn(r.f[cc].p, "0123456789abcdefABCDEF") < 8) {
			rc = cv_failat(e, EX_DATAERR, r.lineno, "bad manifest entry");
			break;
		}
		/*
		 * The file must be the name the store gives the part's file,
		 * of this generation or an earlier one: any other (another
		 * folder, "..") would be read, and removed once replaced.
		 */
		{
			char fpart[64], q[CV_QUOTE_MAX];
			long fgen;

			if (file_part(d->file, fpart, sizeof(fpart), &fgen) < 0 ||
			    strcmp(fpart, part) != 0 || fgen > db->gen) {
				rc = cv_failat(e, EX_DATAERR, r.lineno, "bad "
				    "manifest entry: '%s' is not a name the store "
				    "gives a file of %s (%s.NNNNNN.tsv.gz, of "
				    "generation %06ld or before): the store is "
				    "damaged", cv_quote(q, sizeof(q), d->file,
				    strlen(d->file)), part, part, db->gen);
				break;
			}
			d->gen = fgen;
		}
		d->rows = rows;
		{
			char hex[9];

			memcpy(hex, r.f[cc].p, 8);
			hex[8] = '\0';
			d->crc = (uint32_t)strtoul(hex, NULL, 16);
		}
		rc = 0;
	}
	if (rc < 0 && e->line > 0)
		cv_error_file(mpath, e);
	else if (rc < 0 && strncmp(e->msg, mpath, strlen(mpath)) != 0) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "%s: %s", mpath, e->msg);
		snprintf(e->msg, sizeof(e->msg), "%s", b.p);
		buf_free(&b);
	}
	tsv_close(&r);
	free(mpath);
	if (rc < 0)
		return -1;
	if (db->nf > 1)
		qsort(db->f, (size_t)db->nf, sizeof(*db->f), cmp_files);
	for (i = 1; i < db->nf; i++)
		if (strcmp(db->f[i - 1].part, db->f[i].part) == 0)
			return cv_fail(e, EX_DATAERR, "%s/%s: %s is listed twice",
			    db->dir, cur, db->f[i].part);
	return 0;
}

static int write_manifest(struct db *, struct dbfile *, int, long,
    struct cv_error *);
static int write_current(struct db *, long, struct cv_error *);

/*
 * What the folder holds besides a store's own names: sets *newest to the
 * newest manifest's generation (-1: none), *store if it holds store
 * files, and other to the first name that is not the store's ("" if
 * none).  Returns 0, or -1 with e filled.
 */
static int
scan_folder(struct db *db, long *newest, int *store, char *other,
    size_t othersz, struct cv_error *e)
{
	DIR *d;
	struct dirent *de;

	*newest = -1;
	*store = 0;
	other[0] = '\0';
	if ((d = opendir(db->dir)) == NULL)
		return cv_fail(e, EX_NOINPUT, "%s: %s", db->dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		const char *nm = de->d_name;

		if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0 ||
		    strcmp(nm, "LOCK") == 0 || strncmp(nm, ".staging-", 9) == 0 ||
		    (nm[0] == '.' && store_name("", nm)))
			continue;
		if (strncmp(nm, "MANIFEST-", 9) == 0 && store_name("", nm)) {
			/* Only a name the store writes can be restored. */
			long g = gen_parse(nm + 9, strlen(nm + 9));

			if (g > *newest)
				*newest = g;
			*store = 1;
		} else if (part_kind(nm) >= 0 || store_name("", nm))
			*store = 1;
		else if (other[0] == '\0')
			snprintf(other, othersz, "%s", nm);
	}
	closedir(d);
	return 0;
}

/* The refusal of a folder that holds other files and no store. */
static int
not_a_store(struct db *db, const char *other, struct cv_error *e)
{
	return cv_fail(e, db->mode == DB_WRITE ? EX_CANTCREAT : EX_NOINPUT,
	    "%s: not a cv store: it holds '%s' and no CURRENT%s", db->dir,
	    other, db->mode == DB_WRITE ? " (give --db a new or empty "
	    "folder)" : "");
}

/*
 * No CURRENT.  An empty folder (or one a killed start left) becomes a new
 * store with an empty generation 0 at once, so that from the first run on
 * CURRENT always exists; a folder that holds store files without CURRENT
 * is a damaged store, and one that holds other files is no store: both are
 * refused rather than swept.
 */
static int
no_current(struct db *db, struct cv_error *e)
{
	long newest;
	char other[NAME_MAX + 1], odd[256];
	int store;

	if (scan_folder(db, &newest, &store, other, sizeof(other), e) < 0)
		return -1;
	if (store && newest >= 0)
		return cv_fail(e, EX_DATAERR, "%s: CURRENT is missing, but the "
		    "folder holds a store (newest manifest MANIFEST-%06ld); "
		    "if that is the last good night, restore it with: echo "
		    "MANIFEST-%06ld > %s/CURRENT", db->dir, newest, newest,
		    db->dir);
	if (store)
		return cv_fail(e, EX_DATAERR, "%s: CURRENT and every manifest "
		    "are missing, but the folder holds store files: the store "
		    "is damaged%s", db->dir, odd_manifest(db, odd,
		    sizeof(odd)));
	if (other[0] != '\0')
		return not_a_store(db, other, e);
	if (db->mode != DB_WRITE)
		return cv_fail(e, EX_NOINPUT, "%s: no store here yet (no "
		    "CURRENT): cv-ingest --db creates it", db->dir);
	if (write_manifest(db, NULL, 0, 0, e) < 0 || write_current(db, 0, e) < 0)
		return -1;
	db->nocurrent = 0;
	return 0;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Try the lock every 50 ms for db->wait seconds (flock(2) has no time
 * limit of its own).  Returns 0, or 1 when the time is up, or -1 with e
 * filled.
 */
static int
lock_within(struct db *db, int op, struct cv_error *e)
{
	double end = now_seconds() + db->wait, left;
	struct timespec nap;

	for (;;) {
		if (flock(db->lockfd, op | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return cv_fail(e, EX_IOERR, "%s: cannot lock: %s",
			    db->pathbuf.p, strerror(errno));
		if ((left = end - now_seconds()) <= 0)
			return 1;
		if (left > 0.05)
			left = 0.05;
		nap.tv_sec = 0;
		nap.tv_nsec = (long)(left * 1e9);
		nanosleep(&nap, NULL);
	}
}

static int
take_lock(struct db *db, int mode, struct cv_error *e)
{
	int op = mode == DB_WRITE ? LOCK_EX : LOCK_SH, rc;
	/* A writer waits for any other run, a reader only for a writer. */
	const char *who = mode == DB_WRITE ? "a cv-ingest --db, or a reader: "
	    "cv-score --db, --check" : "a cv-ingest --db adding to it";
	char secs[48];

	/*
	 * LOCK is made only where a store is or is to be: a reader makes
	 * it only beside CURRENT, and a writer is refused a folder of other
	 * files before, so that a folder refused is left as it was found.
	 * (It is never removed: others may hold it open, waiting.)
	 */
	if (mode == DB_READ && access(path2(db, "CURRENT"), F_OK) < 0 &&
	    errno == ENOENT)
		db->lockfd = open(path2(db, "LOCK"), O_RDONLY | O_CLOEXEC);
	else
		db->lockfd = open(path2(db, "LOCK"), O_RDWR | O_CREAT |
		    O_CLOEXEC, 0666);
	if (db->lockfd < 0 && mode == DB_READ)
		db->lockfd = open(path2(db, "LOCK"), O_RDONLY | O_CLOEXEC);
	if (db->lockfd < 0) {
		if (mode == DB_READ && (errno == EACCES || errno == EROFS ||
		    errno == ENOENT))
			return 0;	/* a read-only store: read it unlocked */
		return cv_fail(e, mode == DB_WRITE ? EX_CANTCREAT : EX_NOINPUT,
		    "%s: %s", db->pathbuf.p, strerror(errno));
	}
	if (flock(db->lockfd, op | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK)
		return cv_fail(e, EX_IOERR, "%s: cannot lock: %s", db->pathbuf.p,
		    strerror(errno));
	if (db->wait == 0)
		return cv_fail(e, EX_TEMPFAIL, "%s: another run holds the store "
		    "(%s); not waiting (--wait 0): try again later", db->dir,
		    who);
	if (db->wait < 0) {
		if (!db->quiet)
			cv_warnx("%s: another run holds the store (%s); "
			    "waiting for it to finish", db->dir, who);
		while (flock(db->lockfd, op) < 0)
			if (errno != EINTR)
				return cv_fail(e, EX_IOERR, "%s: cannot lock: "
				    "%s", db->pathbuf.p, strerror(errno));
		return 0;
	}
	snprintf(secs, sizeof(secs), "%g", db->wait);
	snprintf(secs + strlen(secs), sizeof(secs) - strlen(secs), " second%s",
	    strcmp(secs, "1") == 0 ? "" : "s");
	if (!db->quiet)
		cv_warnx("%s: another run holds the store (%s); waiting for it "
		    "to finish, at most %s", db->dir, who, secs);
	if ((rc = lock_within(db, op, e)) == 1)
		return cv_fail(e, EX_TEMPFAIL, "%s: another run still holds the "
		    "store after %s (--wait): try again later", db->dir, secs);
	return rc;
}

static int remove_leftovers(struct db *db, struct cv_error *e);

struct db *
db_open(const char *dir, int mode, int quiet, double wait,
    struct cv_error *e)
{
	struct db *db = xcalloc(1, sizeof(*db));
	struct stat sb;

	db->dir = xstrdup(db_dir(dir));
	db->mode = mode;
	db->quiet = quiet;
	db->wait = wait;
	db->lockfd = -1;
	if (stat(db->dir, &sb) < 0) {
		if (mode == DB_READ || errno != ENOENT) {
			cv_fail(e, EX_NOINPUT, "%s: %s%s", db->dir, strerror(errno),
			    errno == ENOENT ? " (no store here yet: cv-ingest "
			    "--db creates it)" : "");
			goto fail;
		}
		if (mkdirs(db->dir) < 0) {
			cv_fail(e, EX_CANTCREAT, "%s: %s", db->dir, strerror(errno));
			goto fail;
		}
	} else if (!S_ISDIR(sb.st_mode)) {
		cv_fail(e, EX_NOINPUT, "%s: not a folder", db->dir);
		goto fail;
	}
	if (mode == DB_WRITE && access(path2(db, "CURRENT"), F_OK) < 0 &&
	    errno == ENOENT) {
		long newest;
		char other[NAME_MAX + 1];
		int store;

		/* Other files and nothing of a store's: refused untouched. */
		if (scan_folder(db, &newest, &store, other, sizeof(other),
		    e) < 0)
			goto fail;
		if (!store && other[0] != '\0') {
			not_a_store(db, other, e);
			goto fail;
		}
	}
	if (take_lock(db, mode, e) < 0 || load_manifest(db, e) < 0 ||
	    (db->nocurrent && no_current(db, e) < 0))
		goto fail;
	if (mode == DB_WRITE && remove_leftovers(db, e) < 0)
		goto fail;
	return db;
fail:
	db_close(db);
	return NULL;
}

void
db_release(struct db *db)
{
	if (db != NULL && db->lockfd >= 0) {
		close(db->lockfd);	/* the flock goes with it */
		db->lockfd = -1;
	}
}

long
db_gen(const struct db *db)
{
	return db->gen;
}

static void
unstage(struct db *db)
{
	int i;

	for (i = 0; i < db->nst; i++) {
		if (db->st[i].f != NULL)
			fclose(db->st[i].f);
		if (db->st[i].path != NULL)
			unlink(db->st[i].path);
		free(db->st[i].part);
		free(db->st[i].path);
	}
	free(db->st);
	db->st = NULL;
	db->nst = db->capst = 0;
	free(db->ht);
	db->ht = NULL;
	db->htcap = 0;
	if (db->stagedir != NULL) {
		rmdir(db->stagedir);
		free(db->stagedir);
		db->stagedir = NULL;
	}
}

void
db_close(struct db *db)
{
	int i;

	if (db == NULL)
		return;
	unstage(db);
	for (i = 0; i < db->nf; i++) {
		free(db->f[i].part);
		free(db->f[i].file);
	}
	free(db->f);
	for (i = 0; i < db->npaths; i++)
		free(db->paths[i]);
	free(db->paths);
	free(db->pathrows);
	if (db->lockfd >= 0)
		close(db->lockfd);
	buf_free(&db->pathbuf);
	free(db->dir);
	free(db);
}

/* The day a partition covers, or the first and last day of its month. */
static void
part_days(const char *part, int32_t *lo, int32_t *hi)
{
	const char *s = strrchr(part, '/');
	int32_t d;

	*lo = DAY_NONE;
	*hi = DAY_NONE;
	if (s == NULL)
		return;
	s++;
	if (strlen(s) == 10 && date_parse(s, 10, &d) == 0) {
		*lo = *hi = d;
	} else if (strlen(s) == 7) {
		char b[11];

		memcpy(b, s, 7);
		memcpy(b + 7, "-01", 4);
		if (date_parse(b, 10, &d) == 0) {
			int y, m, dd;

			*lo = d;
			civil_from_day(d, &y, &m, &dd);
			*hi = d + days_in_month(y, m) - 1;
		}
	}
}

static int unnamed_parts(struct db *, int, int32_t, int32_t,
    struct cv_error *);

int
db_paths(struct db *db, enum kind kind, int32_t since, int32_t until,
    char ***paths, struct tsv_store *st, struct cv_error *e)
{
	int i;
	int32_t lo, hi;

	/* A part the manifest lost would be left out without a word. */
	if (unnamed_parts(db, kind, since, until, e) < 0)
		return -1;
	for (i = 0; i < db->npaths; i++)
		free(db->paths[i]);
	db->npaths = 0;
	for (i = 0; i < db->nf; i++) {
		if (db->f[i].kind != (int)kind)
			continue;
		part_days(db->f[i].part, &lo, &hi);
		if (since != DAY_NONE && hi != DAY_NONE && hi < since)
			continue;
		if (until != DAY_NONE && lo != DAY_NONE && lo > until)
			continue;
		db->paths = xreallocarray(db->paths, (size_t)db->npaths + 1,
		    sizeof(char *));
		db->pathrows = xreallocarray(db->pathrows,
		    (size_t)db->npaths + 1, sizeof(long long));
		db->pathrows[db->npaths] = db->f[i].rows;
		db->paths[db->npaths++] = xstrdup(path2(db, db->f[i].file));
	}
	*paths = db->paths;
	if (st != NULL) {
		st->dir = db->dir;
		st->kind = kind_dirs[kind];
		st->header = ingest_header(kind);
		st->rows = db->pathrows;
	}
	return db->npaths;
}

/* The nth TAB-separated field of a line (0-based). */
static const char *
field(const char *p, size_t n, int k, size_t *len)
{
	const char *e = p + n, *t;

	while (k-- > 0) {
		t = memchr(p, '\t', (size_t)(e - p));
		if (t == NULL) {
			*len = 0;
			return e;
		}
		p = t + 1;
	}
	t = memchr(p, '\t', (size_t)(e - p));
	*len = (size_t)((t != NULL ? t : e) - p);
	return p;
}

/* Partition of a line of the sink's kind, into b; -1 if it has none. */
static int
line_part(int kind, const char *p, size_t n, struct buf *b)
{
	const char *s;
	size_t k;
	int32_t d;

	b->len = 0;
	switch (kind) {
	case KIND_TXN:
		s = field(p, n, 2, &k);
		if (k < 10 || date_parse(s, 10, &d) < 0)
			return -1;
		buf_printf(b, "txn/%.4s/%.10s", s, s);
		return 0;
	case KIND_CONTACTS:
		s = field(p, n, 0, &k);
		if (k < 10 || date_parse(s, 10, &d) < 0)
			return -1;
		buf_printf(b, "contacts/%.7s", s);
		return 0;
	default:
		buf_adds(b, kind_dirs[kind]);
		return 0;
	}
}

/* The key fields of a kind, which identify a line within its partition. */
static const int key_txn[] = { 4, 0, 1, -1 };
static const int key_one[] = { 0, -1 };
static const int key_contacts[] = { 0, 1, 2, 3, 4, -1 };

static const int *
kind_key(int kind)
{
	switch (kind) {
	case KIND_TXN:
		return key_txn;
	case KIND_CONTACTS:
		return key_contacts;
	default:
		return key_one;
	}
}

static uint64_t
line_key(int kind, const char *p, size_t n)
{
	const int *k = kind_key(kind);
	uint64_t h = 0x5bd1e995;
	size_t len;
	const char *s;

	for (; *k >= 0; k++) {
		s = field(p, n, *k, &len);
		h = hash_combine(h, hash64(s, len, (uint64_t)*k));
	}
	return h;
}

static int
same_key(int kind, const char *a, size_t an, const char *b, size_t bn)
{
	const int *k = kind_key(kind);
	size_t la, lb;
	const char *sa, *sb;

	for (; *k >= 0; k++) {
		sa = field(a, an, *k, &la);
		sb = field(b, bn, *k, &lb);
		if (la != lb || memcmp(sa, sb, la) != 0)
			return 0;
	}
	return 1;
}

/* Note staging's first error: creating a file or folder fails with
 * EX_CANTCREAT, writing with EX_IOERR. */
static void
stage_fail(struct db *db, int errnum, int status)
{
	if (db->errnum == 0) {
		db->errnum = errnum ? errnum : EIO;
		db->errstatus = status;
	}
}

static int
stage_find(struct db *db, const char *part, size_t n)
{
	uint64_t h = hash64(part, n, 1);
	size_t i, j;
	struct stage *s;

	if (db->htcap == 0 || 2 * (size_t)(db->nst + 1) > db->htcap) {
		size_t ncap = db->htcap ? 2 * db->htcap : 64;
		int *nt = xcalloc(ncap, sizeof(int));

		for (i = 0; i < (size_t)db->nst; i++) {
			uint64_t hh = hash64(db->st[i].part, strlen(db->st[i].part),
			    1);

			for (j = hh & (ncap - 1); nt[j] != 0; j = (j + 1) &
			    (ncap - 1))
				;
			nt[j] = (int)i + 1;
		}
		free(db->ht);
		db->ht = nt;
		db->htcap = ncap;
	}
	for (j = h & (db->htcap - 1); db->ht[j] != 0; j = (j + 1) &
	    (db->htcap - 1)) {
		s = &db->st[db->ht[j] - 1];
		if (strlen(s->part) == n && memcmp(s->part, part, n) == 0)
			return db->ht[j] - 1;
	}
	if (db->nst == db->capst) {
		db->capst = db->capst ? 2 * db->capst : 16;
		db->st = xreallocarray(db->st, (size_t)db->capst, sizeof(*db->st));
	}
	s = &db->st[db->nst];
	memset(s, 0, sizeof(*s));
	s->part = xstrndup(part, n);
	db->pathbuf.len = 0;
	buf_printf(&db->pathbuf, "%s/", db->stagedir);
	for (i = 0; i < n; i++)
		buf_addc(&db->pathbuf, part[i] == '/' ? '_' : part[i]);
	buf_adds(&db->pathbuf, ".tsv");
	s->path = xstrdup(db->pathbuf.p);
	db->ht[j] = db->nst + 1;
	return db->nst++;
}

static FILE *
stage_file(struct db *db, struct stage *s)
{
	int i, lru = -1;

	s->used = ++db->tick;
	if (s->f != NULL)
		return s->f;
	if (db->nopen >= MAXOPEN) {
		for (i = 0; i < db->nst; i++)
			if (db->st[i].f != NULL && (lru < 0 ||
			    db->st[i].used < db->st[lru].used))
				lru = i;
		if (fclose(db->st[lru].f) != 0)
			stage_fail(db, errno, EX_IOERR);
		db->st[lru].f = NULL;
		db->nopen--;
	}
	s->f = fopen(s->path, "a");
	if (s->f == NULL) {
		stage_fail(db, errno, EX_CANTCREAT);
		return NULL;
	}
	db->nopen++;
	return s->f;
}

static int
sink_header(void *ctx, const char *line, size_t n)
{
	struct db *db = ctx;

	(void)line;
	(void)n;
	if (db->stagedir == NULL) {
		db->pathbuf.len = 0;
		buf_printf(&db->pathbuf, "%s/.staging-%ld", db->dir,
		    (long)getpid());
		db->stagedir = xstrdup(db->pathbuf.p);
		if (mkdir(db->stagedir, 0777) < 0 && errno != EEXIST) {
			stage_fail(db, errno, EX_CANTCREAT);
			return -1;
		}
	}
	return 0;
}

static int
sink_row(void *ctx, const char *line, size_t n)
{
	struct db *db = ctx;
	struct buf part = BUF_INIT;
	struct stage *s;
	FILE *f;
	int i;

	if (line_part(db->kind, line, n, &part) < 0) {
		buf_free(&part);
		stage_fail(db, EINVAL, EX_SOFTWARE);
		return -1;
	}
	i = stage_find(db, part.p, part.len);
	buf_free(&part);
	s = &db->st[i];
	if ((f = stage_file(db, s)) == NULL)
		return -1;
	if ((errno = io_fault(n + 1)) != 0 || fwrite(line, 1, n, f) != n ||
	    putc('\n', f) == EOF) {
		stage_fail(db, errno, EX_IOERR);
		return -1;
	}
	s->rows++;
	return 0;
}

const char *
db_error(struct db *db, int *status)
{
	if (db->errnum == 0)
		return NULL;
	*status = db->errstatus;
	db->pathbuf.len = 0;
	buf_printf(&db->pathbuf, "%s: staging the new lines: %s", db->dir,
	    db->errnum == EINVAL ? "a line without a date" :
	    strerror(db->errnum));
	return db->pathbuf.p;
}

struct ingest_sink *
db_sink(struct db *db, enum kind kind)
{
	db->kind = kind;
	db->sink.ctx = db;
	db->sink.header = sink_header;
	db->sink.row = sink_row;
	return &db->sink;
}

/* Lines of one partition, held while it is merged. */
struct lineset {
	struct buf	 data;
	size_t		*off;
	size_t		*len;
	size_t		 n;
	size_t		 cap;
	uint32_t	*ht;		/* line index + 1 */
	size_t		 htcap;
};

static void
ls_free(struct lineset *ls)
{
	buf_free(&ls->data);
	free(ls->off);
	free(ls->len);
	free(ls->ht);
	memset(ls, 0, sizeof(*ls));
}

static void
ls_index(struct lineset *ls, int kind, size_t i)
{
	uint64_t h = line_key(kind, ls->data.p + ls->off[i], ls->len[i]);
	size_t j;

	for (j = h & (ls->htcap - 1); ls->ht[j] != 0; j = (j + 1) &
	    (ls->htcap - 1))
		;
	ls->ht[j] = (uint32_t)i + 1;
}

static void
ls_add(struct lineset *ls, int kind, const char *p, size_t n)
{
	size_t i;

	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? 2 * ls->cap : 1024;
		ls->off = xreallocarray(ls->off, ls->cap, sizeof(size_t));
		ls->len = xreallocarray(ls->len, ls->cap, sizeof(size_t));
	}
	ls->off[ls->n] = ls->data.len;
	ls->len[ls->n] = n;
	buf_add(&ls->data, p, n);
	ls->n++;
	if (2 * ls->n > ls->htcap) {
		free(ls->ht);
		ls->htcap = ls->htcap ? 2 * ls->htcap : 2048;
		while (2 * ls->n > ls->htcap)
			ls->htcap *= 2;
		ls->ht = xcalloc(ls->htcap, sizeof(uint32_t));
		for (i = 0; i < ls->n; i++)
			ls_index(ls, kind, i);
	} else
		ls_index(ls, kind, ls->n - 1);
}

/* Index of the line with the same key as p, or -1. */
static long
ls_find(const struct lineset *ls, int kind, const char *p, size_t n)
{
	uint64_t h;
	size_t j;

	if (ls->htcap == 0)
		return -1;
	h = line_key(kind, p, n);
	for (j = h & (ls->htcap - 1); ls->ht[j] != 0; j = (j + 1) &
	    (ls->htcap - 1)) {
		size_t i = ls->ht[j] - 1;

		if (same_key(kind, ls->data.p + ls->off[i], ls->len[i], p, n))
			return (long)i;
	}
	return -1;
}

/*
 * Load a live file, checking it against its manifest entry on the way (its
 * line count, CRC-32 and field counts), so that a damaged or hand-edited
 * file is never merged and written out again under a fresh checksum.
 */
static int
ls_load(struct lineset *ls, int kind, const char *dir, const char *path,
    const struct dbfile *d, struct cv_error *e)
{
	struct cv_in in;
	struct lines ln;
	const char *h = ingest_header(kind);
	char *p;
	size_t n;
	long long rows = 0;
	uint32_t crc = crc32(0L, Z_NULL, 0);
	int rc, want = ncols(h, strlen(h));

	if (in_open(&in, path, 0, e) < 0) {
		struct stat sb;

		if (lstat(path, &sb) < 0 && errno == ENOENT)
			cv_fail(e, EX_DATAERR, "%s: named by the manifest, but "
			    "missing: the store is damaged and was not changed "
			    "(see cv-ingest --db %s --check)", path, dir);
		return -1;
	}
	lines_init(&ln, &in);
	rc = lines_next(&ln, &p, &n, e);
	if (rc == 1 && (n != strlen(h) || memcmp(p, h, n) != 0))
		rc = cv_fail(e, EX_DATAERR, "%s: not a %s file of the store: "
		    "the store is damaged and was not changed (see cv-ingest "
		    "--db %s --check)", path, hdrmap_kind_name(kind), dir);
	else if (rc == 0)
		rc = cv_fail(e, EX_DATAERR, "%s: empty file in the store: the "
		    "store is damaged and was not changed (see cv-ingest --db "
		    "%s --check)", path, dir);
	if (rc == 1)
		crc = crc_line(crc, h, n);
	while (rc == 1 && (rc = lines_next(&ln, &p, &n, e)) == 1) {
		if (ncols(p, n) != want) {
			rc = cv_fail(e, EX_DATAERR, "%s:%lld: %d field%s, the "
			    "header has %d: the store is damaged and was not "
			    "changed (see cv-ingest --db %s --check)", path,
			    rows + 2, ncols(p, n), ncols(p, n) == 1 ? "" : "s",
			    want, dir);
			break;
		}
		crc = crc_line(crc, p, n);
		rows++;
		ls_add(ls, kind, p, n);
	}
	if (rc == 0 && (rows != d->rows || crc != d->crc))
		rc = cv_fail(e, EX_DATAERR, "%s: %lld line%s, CRC-32 %08x, "
		    "but the manifest says %lld, %08x: the store is damaged "
		    "and was not changed (see cv-ingest --db %s --check)", path,
		    rows, rows == 1 ? "" : "s", (unsigned)crc, d->rows,
		    (unsigned)d->crc, dir);
	lines_free(&ln);
	in_close(&in);
	return rc < 0 ? -1 : 0;
}

static struct dbfile *
live(struct db *db, const char *part)
{
	int lo = 0, hi = db->nf - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(db->f[mid].part, part);

		if (c == 0)
			return &db->f[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* Write a lineset as the partition's new file; fills d. */
static int
write_part(struct db *db, int kind, const char *part, long gen,
    const struct lineset *ls, struct dbfile *d, struct cv_error *e)
{
	struct cv_out o;
	const char *h = ingest_header(kind);
	uint32_t crc;
	size_t i;
	char *file, *slash;

	db->pathbuf.len = 0;
	buf_printf(&db->pathbuf, "%s.%06ld.tsv.gz", part, gen);
	file = xstrdup(db->pathbuf.p);
	if ((slash = strrchr(file, '/')) != NULL) {
		*slash = '\0';
		if (mkdirs(path2(db, file)) < 0) {
			*slash = '/';
			cv_fail(e, EX_CANTCREAT, "%s: %s", db->pathbuf.p,
			    strerror(errno));
			free(file);
			return -1;
		}
		*slash = '/';
	}
	if (out_open(&o, path2(db, file), OUT_SYNC | OUT_GZFAST | OUT_NOFOLLOW,
	    e) < 0) {
		free(file);
		return -1;
	}
	crc = crc32(0L, Z_NULL, 0);
	out_write(&o, h, strlen(h));
	out_putc(&o, '\n');
	crc = crc_line(crc, h, strlen(h));
	for (i = 0; i < ls->n; i++) {
		const char *p = ls->data.p + ls->off[i];

		out_write(&o, p, ls->len[i]);
		out_putc(&o, '\n');
		crc = crc_line(crc, p, ls->len[i]);
	}
	if (out_close(&o, e) < 0) {
		free(file);
		return -1;
	}
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->part = xstrdup(part);
	d->file = file;
	d->gen = gen;
	d->rows = (long long)ls->n;
	d->crc = crc;
	return 0;
}

/* Merge one staged partition; *d is set when a new file was written. */
static int
merge_part(struct db *db, struct stage *s, long gen, struct dbfile *d,
    int *wrote, struct db_stats *st, struct cv_error *e)
{
	struct lineset ls;
	struct buf merged = BUF_INIT;
	struct dbfile *old = live(db, s->part);
	struct cv_in in;
	struct lines ln;
	char *p;
	size_t n;
	int rc, changed = 0, kind = part_kind(s->part);

	memset(&ls, 0, sizeof(ls));
	*wrote = 0;
	if (old != NULL && ls_load(&ls, kind, db->dir, path2(db, old->file),
	    old, e) < 0) {
		ls_free(&ls);
		return -1;
	}
	if (s->f != NULL) {
		if (fclose(s->f) != 0) {
			s->f = NULL;
			ls_free(&ls);
			return cv_fail(e, EX_IOERR, "%s: %s", s->path,
			    strerror(errno));
		}
		s->f = NULL;
		db->nopen--;
	}
	if (in_open(&in, s->path, 0, e) < 0) {
		ls_free(&ls);
		return -1;
	}
	lines_init(&ln, &in);
	while ((rc = lines_next(&ln, &p, &n, e)) == 1) {
		long i = ls_find(&ls, kind, p, n);

		if (i >= 0 && kind == KIND_MEMBERS) {
			/* A member's profile is laid over the stored one. */
			profile_merge(&merged, ls.data.p + ls.off[i],
			    ls.len[i], p, n);
			p = merged.p;
			n = merged.len;
		}
		if (i < 0) {
			ls_add(&ls, kind, p, n);
			st->added++;
			changed = 1;
		} else if (ls.len[i] == n && memcmp(ls.data.p + ls.off[i], p,
		    n) == 0) {
			st->unchanged++;
		} else {
			/* The later export wins; the old text stays unused. */
			ls.off[i] = ls.data.len;
			ls.len[i] = n;
			buf_add(&ls.data, p, n);
			st->replaced++;
			changed = 1;
		}
	}
	lines_free(&ln);
	buf_free(&merged);
	in_close(&in);
	if (rc == 0 && changed) {
		rc = write_part(db, kind, s->part, gen, &ls, d, e);
		if (rc == 0) {
			*wrote = 1;
			st->parts++;
			if (old != NULL)
				old->gone = 1;
		}
	}
	ls_free(&ls);
	return rc;
}

static int
write_manifest(struct db *db, struct dbfile *nf, int nnew, long gen,
    struct cv_error *e)
{
	struct dbfile *all;
	struct cv_out o;
	char name[64], line[64];
	int i, n = 0;

	all = xcalloc((size_t)(db->nf + nnew) + 1, sizeof(*all));
	for (i = 0; i < db->nf; i++)
		if (!db->f[i].gone)
			all[n++] = db->f[i];
	for (i = 0; i < nnew; i++)
		all[n++] = nf[i];
	qsort(all, (size_t)n, sizeof(*all), cmp_files);
	snprintf(name, sizeof(name), "MANIFEST-%06ld", gen);
	if (out_open(&o, path2(db, name), OUT_SYNC | OUT_PLAIN |
	    OUT_NOFOLLOW, e) < 0) {
		free(all);
		return -1;
	}
	out_puts(&o, "kind\tpart\tfile\trows\tcrc32\n");
	for (i = 0; i < n; i++) {
		out_puts(&o, kind_dirs[all[i].kind]);
		out_putc(&o, '\t');
		tsv_puts(&o, all[i].part);
		out_putc(&o, '\t');
		tsv_puts(&o, all[i].file);
		snprintf(line, sizeof(line), "\t%lld\t%08x\n", all[i].rows,
		    (unsigned)all[i].crc);
		out_puts(&o, line);
	}
	free(all);
	return out_close(&o, e);
}

static int
write_current(struct db *db, long gen, struct cv_error *e)
{
	struct cv_out o;
	char line[64];

	if (out_open(&o, path2(db, "CURRENT"), OUT_SYNC | OUT_PLAIN |
	    OUT_NOFOLLOW, e) < 0)
		return -1;
	snprintf(line, sizeof(line), "MANIFEST-%06ld\n", gen);
	out_puts(&o, line);
	return out_close(&o, e);
}

/* Does CURRENT name generation gen? */
static int
current_is(struct db *db, long gen)
{
	char want[64], got[64];
	FILE *f;
	size_t n;

	if ((f = fopen(path2(db, "CURRENT"), "r")) == NULL)
		return 0;
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	got[n] = '\0';
	snprintf(want, sizeof(want), "MANIFEST-%06ld\n", gen);
	return strcmp(got, want) == 0;
}

int
db_commit(struct db *db, struct db_stats *st, struct cv_error *e)
{
	struct dbfile *nf;
	char name[64];
	long gen = db->gen + 1;
	int i, nnew = 0, wrote, rc = 0;

	memset(st, 0, sizeof(*st));
	st->gen = db->gen;
	if (db->errnum != 0) {
		rc = cv_fail(e, db->errstatus, "%s: staging: %s", db->dir,
		    strerror(db->errnum));
		unstage(db);
		return rc;
	}
	db_crashpoint("staged");
	nf = xcalloc((size_t)db->nst + 1, sizeof(*nf));
	for (i = 0; i < db->nst && rc == 0; i++) {
		rc = merge_part(db, &db->st[i], gen, &nf[nnew], &wrote, st, e);
		if (rc == 0 && wrote) {
			nnew++;
			db_crashpoint("part-written");
		}
	}
	if (rc == 0 && nnew > 0) {
		rc = write_manifest(db, nf, nnew, gen, e);
		if (rc == 0) {
			db_crashpoint("manifest-written");
			rc = write_current(db, gen, e);
		}
		if (rc < 0 && current_is(db, gen)) {
			/*
			 * CURRENT was renamed into place and only syncing its
			 * folder failed: the night is in.  Keep what CURRENT
			 * names; the next run removes the old files.
			 */
			st->gen = db->gen = gen;
			snprintf(e->msg + strlen(e->msg), sizeof(e->msg) -
			    strlen(e->msg), " (the night was added, but may not "
			    "be on disk yet: running it again is safe)");
		}
		if (rc == 0) {
			db_crashpoint("committed");
			st->gen = gen;
			/* Remove what the old manifest named and the new does not. */
			for (i = 0; i < db->nf; i++)
				if (db->f[i].gone)
					unlink(path2(db, db->f[i].file));
			snprintf(name, sizeof(name), "MANIFEST-%06ld", db->gen);
			unlink(path2(db, name));
			db->gen = gen;
		}
	}
	if (rc < 0 && db->gen != gen) {
		/* Nothing was switched: remove what this run wrote. */
		for (i = 0; i < nnew; i++)
			unlink(path2(db, nf[i].file));
		snprintf(name, sizeof(name), "MANIFEST-%06ld", gen);
		unlink(path2(db, name));
	}
	for (i = 0; i < nnew; i++) {
		free(nf[i].part);
		free(nf[i].file);
	}
	free(nf);
	unstage(db);
	return rc;
}

/*
 * Files a killed run leaves behind: staging folders, the temporary names
 * .NAME.XXXXXX of the store's files, manifests other than the live one
 * and data files no live manifest names.  Only the exact names the store
 * writes are looked at: MANIFEST-NNNNNN and the files of members and
 * staff at the top, txn/YYYY/YYYY-MM-DD.NNNNNN.tsv.gz and
 * contacts/YYYY-MM.NNNNNN.tsv.gz; other files and folders, also inside
 * txn/ and contacts/, are left alone.  Leftovers are removed only with
 * the exclusive lock held.
 */
struct sweep {
	int		 remove;	/* remove the leftovers found */
	int		 report;	/* name each damaged file on stderr */
	int		 kind;		/* only damage in these parts (-1: all) */
	int32_t		 since, until;
	int		 leftovers;
	int		 damaged;	/* files no interrupted run leaves */
	char		*first;		/* the first of them, from the top */
	int		 errnum;	/* removing a leftover failed, and */
	char		*failed;	/* its name, from the top */
	struct buf	 rel;		/* the name looked at, from the top */
};

#define UNNAMED_DATA "a data file the manifest does not name, and not " \
	"one an interrupted run leaves (a day or month lost from the " \
	"manifest?)"
#define LATER_MANIFEST "a manifest of a later generation than the one " \
	"CURRENT names, which no interrupted run leaves"

enum { OWN_NONE, OWN_CURRENT, OWN_MANIFEST, OWN_DATA };

/*
 * Which of the store's own names is nm in the folder dir ("" for the
 * top)?  Sets s->rel to its path from the top, and for a data file part
 * (PART_MAX bytes) and *gen; *gen also for a manifest.
 */
#define PART_MAX 64

static int
own_name(struct sweep *s, const char *dir, const char *nm, char *part,
    long *gen)
{
	s->rel.len = 0;
	buf_printf(&s->rel, "%s%s%s", dir, *dir ? "/" : "", nm);
	if (*dir == '\0' && strcmp(nm, "CURRENT") == 0)
		return OWN_CURRENT;
	if (*dir == '\0' && strncmp(nm, "MANIFEST-", 9) == 0 &&
	    (*gen = gen_parse(nm + 9, strlen(nm + 9))) >= 0)
		return OWN_MANIFEST;
	if (file_part(s->rel.p, part, PART_MAX, gen) >= 0)
		return OWN_DATA;
	return OWN_NONE;
}

/* Remove a staging folder and the files in it. */
static void
rmtree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	struct buf b = BUF_INIT;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		b.len = 0;
		buf_printf(&b, "%s/%s", path, de->d_name);
		unlink(b.p);
	}
	closedir(d);
	buf_free(&b);
	rmdir(path);
}

static void
leftover(struct db *db, struct sweep *s, int folder)
{
	s->leftovers++;
	if (!s->remove)
		return;
	if (folder)
		rmtree(path2(db, s->rel.p));
	else if (unlink(path2(db, s->rel.p)) < 0 && errno != ENOENT &&
	    s->errnum == 0) {
		/*
		 * Once the next night commits, a file of its generation that
		 * stayed would look like damage.
		 */
		s->errnum = errno;
		s->failed = xstrdup(s->rel.p);
	}
}

/*
 * A file of the store's that no interrupted run leaves: a data file of
 * part (NULL for a manifest).  Never removed: counted and named.
 */
static void
damaged(struct db *db, struct sweep *s, const char *part)
{
	int32_t lo, hi;

	if (s->kind >= 0) {
		/* A reader minds only the parts it reads. */
		if (part == NULL || part_valid(part) != s->kind)
			return;
		part_days(part, &lo, &hi);
		if ((s->since != DAY_NONE && hi != DAY_NONE && hi < s->since) ||
		    (s->until != DAY_NONE && lo != DAY_NONE && lo > s->until))
			return;
	}
	s->damaged++;
	if (s->first == NULL)
		s->first = xstrdup(s->rel.p);
	if (s->report)
		cv_warnx("%s/%s: %s", db->dir, s->rel.p, part != NULL ?
		    UNNAMED_DATA : LATER_MANIFEST);
}

/*
 * A data file of part and generation gen (its name in s->rel) that the
 * live manifest does not name is left by an interrupted run only if it
 * is of the next generation (a run that did not commit) or older than
 * the part's live file (a run killed before it removed the file it
 * replaced).  Any other is damage: the part is missing from the manifest.
 */
static void
sweep_data(struct db *db, struct sweep *s, const char *part, long gen)
{
	struct dbfile *d = live(db, part);

	if (d != NULL && strcmp(d->file, s->rel.p) == 0)
		return;		/* live */
	if (gen == db->gen + 1 || (d != NULL && d->gen > gen))
		leftover(db, s, 0);
	else
		damaged(db, s, part);
}

static void
sweep_dir(struct db *db, struct sweep *s, const char *dir)
{
	DIR *d;
	struct dirent *de;
	struct stat sb;
	char part[PART_MAX], *sub;
	long gen;
	size_t n;

	d = opendir(*dir ? path2(db, dir) : db->dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		const char *nm = de->d_name;

		if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
			continue;
		n = strlen(nm);
		if (*dir == '\0' && strncmp(nm, ".staging-", 9) == 0) {
			own_name(s, dir, nm, part, &gen);
			if (lstat(path2(db, s->rel.p), &sb) == 0 &&
			    S_ISDIR(sb.st_mode))
				leftover(db, s, 1);
			continue;
		}
		if (nm[0] == '.') {
			/* .NAME.XXXXXX, the temporary name of a store file. */
			char base[NAME_MAX + 1];

			if (n < 9 || nm[n - 7] != '.')
				continue;
			memcpy(base, nm + 1, n - 8);
			base[n - 8] = '\0';
			if (own_name(s, dir, base, part, &gen) == OWN_NONE)
				continue;
			own_name(s, dir, nm, part, &gen);
			if (lstat(path2(db, s->rel.p), &sb) == 0 &&
			    !S_ISDIR(sb.st_mode))
				leftover(db, s, 0);
			continue;
		}
		switch (own_name(s, dir, nm, part, &gen)) {
		case OWN_MANIFEST:
			/* Replaced, or written by a run that did not commit. */
			if (gen == db->gen || lstat(path2(db, s->rel.p),
			    &sb) < 0 || S_ISDIR(sb.st_mode))
				;
			else if (gen < db->gen || gen == db->gen + 1)
				leftover(db, s, 0);
			else
				damaged(db, s, NULL);
			continue;
		case OWN_DATA:
			if (stat(path2(db, s->rel.p), &sb) < 0 ||
			    !S_ISDIR(sb.st_mode))
				sweep_data(db, s, part, gen);
			continue;
		default:
			break;
		}
		/* The folders the store writes: txn/, txn/YYYY/, contacts/. */
		if ((*dir == '\0' && (strcmp(nm, "txn") == 0 ||
		    strcmp(nm, "contacts") == 0)) ||
		    (strcmp(dir, "txn") == 0 && n == 4 && digits(nm, 4))) {
			if (stat(path2(db, s->rel.p), &sb) == 0 &&
			    S_ISDIR(sb.st_mode)) {
				sub = xstrdup(s->rel.p);
				sweep_dir(db, s, sub);
				free(sub);
			}
		}
	}
	closedir(d);
}

static void
sweep_init(struct sweep *s)
{
	memset(s, 0, sizeof(*s));
	s->kind = -1;
	s->since = s->until = DAY_NONE;
}

static void
sweep_free(struct sweep *s)
{
	free(s->first);
	free(s->failed);
	buf_free(&s->rel);
}

/*
 * The writer's clean-up: refused, with nothing removed, when the store
 * holds a file of its own that no interrupted run leaves.
 */
static int
remove_leftovers(struct db *db, struct cv_error *e)
{
	struct sweep s;
	int n;

	sweep_init(&s);
	sweep_dir(db, &s, "");
	if (s.damaged > 0) {
		cv_fail(e, EX_DATAERR, "%s/%s: %s%s: the store is damaged and "
		    "was not changed (see cv-ingest --db %s --check)", db->dir,
		    s.first, strncmp(s.first, "MANIFEST-", 9) == 0 ?
		    LATER_MANIFEST : UNNAMED_DATA, s.damaged > 1 ? "; and "
		    "more like it" : "", db->dir);
		sweep_free(&s);
		return -1;
	}
	sweep_free(&s);
	sweep_init(&s);
	s.remove = 1;
	sweep_dir(db, &s, "");
	n = s.leftovers;
	if (s.errnum != 0) {
		cv_fail(e, EX_IOERR, "%s/%s: cannot remove this file left by an "
		    "interrupted run: %s; the store was not changed", db->dir,
		    s.failed, strerror(s.errnum));
		sweep_free(&s);
		return -1;
	}
	sweep_free(&s);
	if (n > 0 && !db->quiet)
		cv_warnx("%s: removed %d file%s left by an interrupted run",
		    db->dir, n, n == 1 ? "" : "s");
	return 0;
}

/*
 * For a reader: fails, naming the first, if the parts of kind it reads
 * (since, until as for db_paths()) have a data file the manifest lost.
 */
static int
unnamed_parts(struct db *db, int kind, int32_t since, int32_t until,
    struct cv_error *e)
{
	struct sweep s;
	int rc = 0;

	sweep_init(&s);
	s.kind = kind;
	s.since = since;
	s.until = until;
	sweep_dir(db, &s, "");
	if (s.damaged > 0)
		rc = cv_fail(e, EX_DATAERR, "%s/%s: %s: the store is damaged "
		    "(see cv-ingest --db %s --check)", db->dir, s.first,
		    UNNAMED_DATA, db->dir);
	sweep_free(&s);
	return rc;
}

/* A set of 64-bit key hashes, for spotting a line stored twice. */
struct keyset {
	uint64_t	*t;
	size_t		 cap;
	size_t		 n;
};

static int
keyset_add(struct keyset *k, uint64_t h)
{
	size_t i;

	if (h == 0)
		h = 1;
	if (2 * (k->n + 1) > k->cap) {
		size_t ncap = k->cap ? 2 * k->cap : 4096, j;
		uint64_t *nt = xcalloc(ncap, sizeof(uint64_t));

		for (i = 0; i < k->cap; i++) {
			if (k->t[i] == 0)
				continue;
			for (j = k->t[i] & (ncap - 1); nt[j] != 0;
			    j = (j + 1) & (ncap - 1))
				;
			nt[j] = k->t[i];
		}
		free(k->t);
		k->t = nt;
		k->cap = ncap;
	}
	for (i = h & (k->cap - 1); k->t[i] != 0; i = (i + 1) & (k->cap - 1))
		if (k->t[i] == h)
			return 0;
	k->t[i] = h;
	k->n++;
	return 1;
}

/*
 * A problem on a line of a store file.  A damaged file can have one on
 * every line: only the first CHECK_SHOWN of a file are printed, and the
 * rest are counted and named once at the end of the file.
 */
#define CHECK_SHOWN	10

static void check_problem(const char *, long, int *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
check_problem(const char *fp, long line, int *problems, const char *fmt, ...)
{
	va_list ap;

	if ((*problems)++ >= CHECK_SHOWN)
		return;
	va_start(ap, fmt);
	cv_vmsgat(fp, line, fmt, ap);
	va_end(ap);
}

int
db_check(struct db *db, struct cv_out *out, int quiet)
{
	struct keyset ks[KIND_COUNT];
	struct cv_error e;
	struct sweep sw;
	int i, bad = 0, leftovers;
	long long total = 0;
	char num[64];

	memset(ks, 0, sizeof(ks));
	out_puts(out, "kind\tpart\trows\tamount\n");
	for (i = 0; i < db->nf; i++) {
		struct dbfile *d = &db->f[i];
		const char *path = path2(db, d->file);
		char *fp = xstrdup(path);
		const char *h = ingest_header(d->kind);
		struct cv_in in;
		struct lines ln;
		char *p;
		size_t n;
		long long rows = 0;
		int64_t amount = 0, v;
		uint32_t crc = crc32(0L, Z_NULL, 0);
		int rc, want = ncols(h, strlen(h)), problems = 0;
		int32_t lo, hi, day;

		part_days(d->part, &lo, &hi);
		if (in_open(&in, fp, 0, &e) < 0) {
			struct stat sb;

			if (lstat(fp, &sb) < 0 && errno == ENOENT)
				cv_warnx("%s: named by the manifest, but "
				    "missing", fp);
			else
				cv_warnx("%s", e.msg);
			free(fp);
			bad++;
			continue;
		}
		lines_init(&ln, &in);
		rc = lines_next(&ln, &p, &n, &e);
		if (rc == 1 && (n != strlen(h) || memcmp(p, h, n) != 0)) {
			cv_msgat(fp, 1, "the header is not the %s header",
			    kind_dirs[d->kind]);
			problems++;
		}
		while (rc == 1) {
			crc = crc_line(crc, p, n);
			if ((rc = lines_next(&ln, &p, &n, &e)) != 1)
				break;
			rows++;
			/* A line of the wrong shape has no key or date. */
			if (ncols(p, n) != want) {
				check_problem(fp, ln.lineno, &problems, "%d "
				    "field%s, the header has %d", ncols(p, n),
				    ncols(p, n) == 1 ? "" : "s", want);
				continue;
			}
			if (!keyset_add(&ks[d->kind], line_key(d->kind, p, n)))
				check_problem(fp, ln.lineno, &problems, "a line "
				    "with this key is stored twice");
			if (d->kind == KIND_TXN) {
				size_t k;
				const char *s = field(p, n, 2, &k);

				if (k < 10 || date_parse(s, 10, &day) < 0 ||
				    (lo != DAY_NONE && day != lo))
					check_problem(fp, ln.lineno, &problems,
					    "sale dated outside its day file");
				s = field(p, n, 9, &k);
				if (num_parse(s, k, 2, &v) == 0)
					amount += v;
			}
		}
		if (problems > CHECK_SHOWN)
			cv_msgat(fp, 0, "%d more problems on lines of this file "
			    "(only the first %d are shown)", problems -
			    CHECK_SHOWN, CHECK_SHOWN);
		if (rc < 0) {
			cv_warnx("%s", e.msg);
			problems++;
		} else {
			if (rows != d->rows) {
				cv_msgat(fp, 0, "%lld row%s, the manifest says "
				    "%lld", rows, rows == 1 ? "" : "s", d->rows);
				problems++;
			}
			if (crc != d->crc) {
				cv_msgat(fp, 0, "checksum %08x, the manifest "
				    "says %08x", (unsigned)crc, (unsigned)d->crc);
				problems++;
			}
		}
		lines_free(&ln);
		in_close(&in);
		free(fp);
		bad += problems > 0;
		total += rows;
		out_puts(out, kind_dirs[d->kind]);
		out_putc(out, '\t');
		tsv_puts(out, d->part);
		snprintf(num, sizeof(num), "\t%lld\t", rows);
		out_puts(out, num);
		if (d->kind == KIND_TXN) {
			money_fmt(amount, num);
			out_puts(out, num);
		}
		out_putc(out, '\n');
	}
	for (i = 0; i < KIND_COUNT; i++)
		free(ks[i].t);
	sweep_init(&sw);
	sw.report = 1;
	sweep_dir(db, &sw, "");
	leftovers = sw.leftovers;
	if (!quiet) {
		if (leftovers > 0)
			cv_warnx("%s: %d file%s left by an interrupted run (the "
			    "next cv-ingest --db removes them)", db->dir,
			    leftovers, leftovers == 1 ? "" : "s");
		if (bad == 0 && sw.damaged == 0)
			cv_warnx("%s: generation %ld, %d file%s, %lld line%s: "
			    "no problems found", db->dir, db->gen, db->nf,
			    db->nf == 1 ? "" : "s", total, total == 1 ? "" : "s");
		if (bad > 0)
			cv_warnx("%s: %d of %d files have problems", db->dir,
			    bad, db->nf);
		if (sw.damaged > 0)
			cv_warnx("%s: %d file%s of the store's that the manifest "
			    "does not explain: the store is damaged (cv-db(5) "
			    "says how to repair it)", db->dir, sw.damaged,
			    sw.damaged == 1 ? "" : "s");
	}
	if (sw.damaged > 0)
		bad++;
	sweep_free(&sw);
	return bad ? EX_DATAERR : 0;
}
