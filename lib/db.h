/*
 * db: the customer history store, a folder of cv streams that grows night
 * by night.
 *
 * Layout of a store DIR (see cv-db(5)):
 *   DIR/CURRENT              names the live manifest
 *   DIR/MANIFEST-NNNNNN      the live files, their row counts and CRC-32
 *   DIR/txn/YYYY/YYYY-MM-DD.NNNNNN.tsv.gz    sale lines of one day
 *   DIR/contacts/YYYY-MM.NNNNNN.tsv.gz       contact log of one month
 *   DIR/members.NNNNNN.tsv.gz                member profiles
 *   DIR/staff.NNNNNN.tsv.gz                  staff roster
 *   DIR/LOCK                 the lock file
 * Every data file is a gzip'd cv stream with the kind's header, readable
 * with zcat and awk.  NNNNNN is the generation that wrote the file.
 *
 * Changes are made only by writing new files and then switching CURRENT
 * to a new manifest with one rename, so a run killed at any moment leaves
 * the store as it was before the run or as it is after it.  Files that no
 * manifest names (left by a killed run) are removed by the next writer.
 * Writers hold an exclusive lock on DIR/LOCK, readers a shared one; a
 * second writer waits.
 *
 * A night's ingest reads and rewrites only the partitions it touches (the
 * days its sale lines fall on), so its cost follows the night's data, not
 * the size of the history.
 */
#ifndef CV_DB_H
#define CV_DB_H

#include <stdint.h>

#include "diag.h"
#include "hdrmap.h"
#include "ingest.h"
#include "io.h"
#include "tsv.h"

struct db;

enum { DB_READ, DB_WRITE };

struct db_stats {
	long long	 added;		/* lines not in the store before */
	long long	 replaced;	/* lines that changed */
	long long	 unchanged;	/* lines already there as they are */
	int		 parts;		/* partitions written */
	long		 gen;		/* generation committed */
};

/*
 * The folder to use: dir if not NULL, else $CV_DB, else "cvdb".  The
 * returned string is static or dir itself.
 */
const char *db_dir(const char *dir);

/*
 * Open the store in dir.  DB_WRITE creates it if missing and takes the
 * exclusive lock; DB_READ takes a shared lock and fails with EX_NOINPUT if
 * there is no store.  While another run holds the store, it waits with a
 * message (unless quiet): without a limit when wait is negative, else for
 * at most wait seconds, then fails with EX_TEMPFAIL.  Returns NULL with e
 * filled on failure.
 */
#define WAIT_MAX	604800.0	/* the longest --wait: a week */
struct db *db_open(const char *dir, int mode, int quiet, double wait,
	    struct cv_error *e);
void	db_close(struct db *db);
/*
 * Let go of the lock once what is needed has been read, so that a reader
 * whose output waits (a pager left open) does not hold up a writer.  The
 * paths db_paths() gave stay valid; the files may go once a writer runs.
 */
void	db_release(struct db *db);

/* Generation of the live manifest (0 for an empty store). */
long	db_gen(const struct db *db);

/*
 * Paths of the live files of a kind, in order (by day for txn, by month
 * for contacts).  For txn and contacts, files wholly before since or after
 * until (days, DAY_NONE for no limit) are left out.  With st not NULL, it
 * gets what the manifest says of them, for tsv_open_store(): their kind,
 * header and row counts.  The arrays and strings belong to the db until
 * the next call.  Returns the number of paths, or -1 with e filled
 * (EX_DATAERR) when a data file of a part it would list is in the store
 * but not in the manifest.
 */
int	db_paths(struct db *db, enum kind kind, int32_t since, int32_t until,
	    char ***paths, struct tsv_store *st, struct cv_error *e);

/* A sink for ingest_run() that stages accepted lines of a kind. */
struct ingest_sink *db_sink(struct db *db, enum kind kind);

/* What went wrong while staging, or NULL; its exit status in *status. */
const char *db_error(struct db *db, int *status);

/*
 * Merge the staged lines into the store and switch to the new manifest.
 * Returns 0, or -1 with e filled (EX_IOERR, EX_CANTCREAT); on failure the
 * store is as it was.
 */
int	db_commit(struct db *db, struct db_stats *st, struct cv_error *e);

/*
 * Verify the store: every file readable to its end with the right header
 * and field counts, the row counts and CRC-32 of the manifest, no line
 * twice.  Writes the rows per partition to out (a cv stream: kind, part,
 * rows, amount) and problems to stderr.  Returns 0 if the store is sound,
 * EX_DATAERR if not, another status if it cannot be read.
 */
int	db_check(struct db *db, struct cv_out *out, int quiet);

/* Test hook: if $CV_TEST_CRASH names this point, die with SIGKILL. */
void	db_crashpoint(const char *name);

#endif
