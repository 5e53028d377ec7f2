/* Unit tests for lib/profile.c: profiles laid one over another. */
#include <string.h>

#include "buf.h"
#include "profile.h"
#include "test.h"

static const char *
M(const char *a, const char *b)
{
	static struct buf out = BUF_INIT;

	profile_merge(&out, a, strlen(a), b, strlen(b));
	buf_addc(&out, '\0');
	return out.p;
}

static void
H(struct profiles *p, const char *line)
{
	profiles_hold(p, line, strlen(line));
}

static const char *
T(struct profiles *p, const char *line)
{
	static struct buf out = BUF_INIT;

	if (!profiles_take(p, line, strlen(line), &out))
		return NULL;
	buf_addc(&out, '\0');
	return out.p;
}

int
main(void)
{
	struct profiles p;
	struct buf out = BUF_INIT;
	int k, miss = 0;

	/* A later field wins; an empty one keeps the earlier value. */
	CHECK_STR(M("A1\t陈静\t138\t1", "A1\t\t139\t"), "A1\t陈静\t139\t1");
	CHECK_STR(M("A1\t\t\t", "A1\tx\t\t"), "A1\tx\t\t");
	CHECK_STR(M("A1\ta\tb\t", "A1\t\t\t0"), "A1\ta\tb\t0");
	CHECK_STR(M("A1", "A1"), "A1");
	/* Lines of another shape: the later one. */
	CHECK_STR(M("A1\ta", "A1\t\t"), "A1\t\t");

	/* Held lines are laid over one another, then under the last. */
	profiles_init(&p);
	CHECK(T(&p, "A1\tz\t") == NULL);
	H(&p, "A1\ta\tb\t1");
	H(&p, "A2\tc\td\t0");
	H(&p, "A1\t\tB\t");
	CHECK(T(&p, "A3\tx\ty\tz") == NULL);
	CHECK_STR(T(&p, "A1\t\t\t"), "A1\ta\tB\t1");
	/* Taken once: a later copy of the same line finds nothing held. */
	CHECK(T(&p, "A1\t\t\t") == NULL);
	/* Held again after it was taken: held afresh, not laid over. */
	H(&p, "A1\tq\t\t");
	CHECK_STR(T(&p, "A1\t\tr\t"), "A1\tq\tr\t");
	/* A key that is a prefix of another's is another member. */
	H(&p, "A\tshort\t\t");
	CHECK_STR(T(&p, "A2\t\t\t"), "A2\tc\td\t0");
	CHECK_STR(T(&p, "A\t\t\tx"), "A\tshort\t\tx");
	/* Many members: the table grows and each finds its own. */
	for (k = 0; k < 20000; k++) {
		char l[32];
		int n = snprintf(l, sizeof(l), "M%d\tv%d\t", k, k);

		profiles_hold(&p, l, (size_t)n);
	}
	for (k = 19999; k >= 0; k--) {
		char l[32], w[32];
		int n = snprintf(l, sizeof(l), "M%d\t\tx", k);
		int m = snprintf(w, sizeof(w), "M%d\tv%d\tx", k, k);

		miss += profiles_take(&p, l, (size_t)n, &out) != 1 ||
		    out.len != (size_t)m || memcmp(out.p, w, (size_t)m) != 0;
	}
	CHECK(miss == 0);
	profiles_free(&p);
	buf_free(&out);
	return test_summary();
}
