/*
 * hdrmap: which column of an export holds which canonical field.
 *
 * Each kind of file (sales lines, member profiles, contact log, staff
 * roster) has a list of canonical fields; each field has synonyms in
 * English, simplified and traditional Chinese, as PCRE2 patterns tried in
 * order of preference.  A header cell is normalised first (blanks and
 * line breaks anywhere in it, quotes and a template's * marks around it,
 * a unit in brackets such as "(元)" removed) and must match a pattern as
 * a whole, case-insensitively.  The user can add a header for a
 * field with hdrmap_override() (--map field=Header), which takes
 * precedence over every synonym.
 */
#ifndef CV_HDRMAP_H
#define CV_HDRMAP_H

#include <stddef.h>

#include "diag.h"

enum kind {
	KIND_TXN,
	KIND_MEMBERS,
	KIND_CONTACTS,
	KIND_STAFF,
	KIND_COUNT
};

/* Fields of KIND_TXN. */
enum {
	TX_TXN_ID, TX_LINE, TX_TS, TX_CUSTOMER_ID, TX_STORE_ID, TX_STAFF_ID,
	TX_CHANNEL, TX_SKU, TX_QTY, TX_AMOUNT, TX_UNIT_PRICE, TX_NFIELDS
};
/* Fields of KIND_MEMBERS. */
enum {
	MB_CUSTOMER_ID, MB_NAME, MB_PHONE, MB_GENDER, MB_BIRTHDAY, MB_JOIN_DATE,
	MB_STORE_ID, MB_STAFF_ID, MB_TIER, MB_TYPE, MB_OPT_OUT, MB_NFIELDS
};
/* Fields of KIND_CONTACTS. */
enum {
	CT_DATE, CT_CUSTOMER_ID, CT_STAFF_ID, CT_CHANNEL, CT_CAMPAIGN,
	CT_OUTCOME, CT_NOTE, CT_NFIELDS
};
/* Fields of KIND_STAFF. */
enum {
	SF_STAFF_ID, SF_NAME, SF_STORE_ID, SF_STATUS, SF_LEFT_DATE, SF_NFIELDS
};

#define HDRMAP_MAXF 16

struct hdrmap;

/* Build the matcher for a kind; exits 70 if a built-in pattern is bad. */
struct hdrmap *hdrmap_new(enum kind kind);
void	hdrmap_free(struct hdrmap *m);

/* Kind by name ("txn", "members", "contacts", "staff"); -1 if unknown. */
int	hdrmap_kind(const char *name);
const char *hdrmap_kind_name(enum kind kind);
int	hdrmap_nfields(const struct hdrmap *m);
/* Canonical name of field i, and whether the file must have it. */
const char *hdrmap_field(const struct hdrmap *m, int i);
int	hdrmap_required(const struct hdrmap *m, int i);
/* Field index by canonical name, or -1. */
int	hdrmap_lookup(const struct hdrmap *m, const char *name);

/*
 * --map spec "field=Header": the column whose normalised header equals
 * Header (case-insensitively) is that field.  Returns 0, or -1 with e
 * filled (EX_USAGE) for an unknown field or a spec without '='.
 */
int	hdrmap_override(struct hdrmap *m, const char *spec, struct cv_error *e);
/* The header --map gave field i, or NULL. */
const char *hdrmap_override_of(const struct hdrmap *m, int i);

/*
 * Match one header cell.  Returns the field index it names, or -1; *prio
 * gets the rank of the synonym that matched (0 is best; overrides are -1).
 */
int	hdrmap_match(struct hdrmap *m, const char *cell, size_t n, int *prio);

/*
 * The rank of the synonym of field f the cell is (0 is best), whatever
 * --map said, or -1.
 */
int	hdrmap_could_be(struct hdrmap *m, int f, const char *cell, size_t n);
/* Ranks of the sales synonyms that money checks rely on (see hdrmap.c). */
enum {
	HDRMAP_AMOUNT_GENERIC = 2,	/* amount: 金额, Total, Sales and below */
	HDRMAP_PRICE_SELLING = 3	/* unit_price: 售价, UnitPrice and below */
};

/*
 * 1 if the cell names a column of discounts in a sales file (折扣, 优惠金额,
 * Discount): beside it, a unit price that is not named as the price paid
 * (成交价, 实际售价) may be the price before the discount.
 */
int	hdrmap_discount(struct hdrmap *m, const char *cell, size_t n);

/*
 * Map a whole header: col[j] gets the field of column j (or -1), and
 * where[f] the column of field f (or -1).  Of two columns naming the same
 * field, the better synonym wins; two columns of equal rank are an error.
 * Returns the number of columns recognised, or -1 with e filled
 * (EX_DATAERR) on such a conflict.
 */
int	hdrmap_header(struct hdrmap *m, const char *const *cells,
	    const size_t *lens, int ncells, int *col, int *where,
	    struct cv_error *e);

/*
 * The header cells no field took and no field could have taken: names
 * that are no synonym of the kind (备注, 积分 in a member profile), as
 * written, joined by ", " onto out.  Cells that are blank, and columns
 * left for a better synonym of the same field, are not among them.
 * Returns how many.
 */
struct buf;
int	hdrmap_unread(struct hdrmap *m, const char *const *cells,
	    const size_t *lens, int ncells, const int *col, struct buf *out);

/* Normalise a header cell into out (size outsz); returns its length. */
size_t	hdrmap_norm(const char *cell, size_t n, char *out, size_t outsz);

#endif
