/*
 * segment: name every customer's situation.  A segment set is an ordered
 * rule list (rules.h): a rule file, or one of the built-in sets rfm,
 * quadrant and lifecycle, whose rules are written in the same language and
 * shown in cv-segment(1).  Each set adds one column to the stream; the
 * first rule that matches a row names it.
 */
#ifndef CV_SEGMENT_H
#define CV_SEGMENT_H

#include <stdint.h>

#define SEG_MAXSETS 16

struct segment_set {
	const char	*rules;		/* a rule file, or NULL for builtin */
	const char	*builtin;	/* rfm, quadrant, lifecycle */
	const char	*column;	/* NULL: the default name */
};

struct segment_opts {
	struct segment_set sets[SEG_MAXSETS];
	int		 nsets;
	int		 zh;		/* built-in names in Chinese */
	int32_t		 as_of;
	const char	*split;		/* folder for one stream per segment */
	int		 explain;
	int		 check;		/* list the RFM cells each rule covers */
	int		 quiet;
	const char	*out;
};

/* 1 if name is a built-in set. */
int	segment_builtin(const char *name);

/*
 * The text of a built-in set for a header (some rules depend on which
 * columns exist), as a rule file would hold it.  Static storage.
 */
const char *segment_builtin_text(const char *name, int zh,
	    const char *const *cols, int ncol);

/* Run; returns the exit status, having printed the messages. */
int	segment_run(const struct segment_opts *o, char **files, int nfiles);

#endif
