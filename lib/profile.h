/*
 * profile: member profiles put together field by field.  A later profile
 * of a member is laid over the earlier one: its fields win, and a field
 * it leaves empty keeps the earlier value, for an export without a column
 * (a tier report) or with a cell left blank says nothing of it.  Used
 * where cv-ingest keeps the last of a member's profiles in a run, and
 * where the history store merges a night's profiles into the stored ones.
 */
#ifndef CV_PROFILE_H
#define CV_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * Into out (reset first), the TSV line b laid over the earlier line a
 * (neither with its newline): each field b's, or a's where b's is empty.
 * Lines with a different number of fields give b.
 */
void	profile_merge(struct buf *out, const char *a, size_t an,
	    const char *b, size_t bn);

/*
 * Profiles held until the member's last one comes, keyed by the line's
 * first field (customer_id).
 */
struct profiles {
	struct buf	 data;		/* the held lines */
	size_t		*off, *len;	/* each entry's line in data */
	uint64_t	*hash;		/* each entry's key hash */
	unsigned char	*taken;		/* its member's last line came */
	size_t		 n, cap;	/* entries */
	uint32_t	*ht;		/* entry index + 1, or 0 */
	size_t		 htcap;
	struct buf	 tmp;
};

void	profiles_init(struct profiles *p);
void	profiles_free(struct profiles *p);
/* Hold a superseded profile, laid over the one held for its member. */
void	profiles_hold(struct profiles *p, const char *line, size_t n);
/*
 * The member's last profile: laid over the one held for it into out, the
 * held one let go, and 1; or 0 when none is held (out untouched).
 */
int	profiles_take(struct profiles *p, const char *line, size_t n,
	    struct buf *out);

#endif
