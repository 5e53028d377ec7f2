/*
 * test.h: the smallest unit-test harness.  CHECK() counts and prints only
 * failures; test_summary() prints "N passed, N failed" and returns the
 * exit status for main.
 */
#ifndef CV_TEST_H
#define CV_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;

#define CHECK(cond) do {						\
	if (cond)							\
		test_passed++;						\
	else {								\
		test_failed++;						\
		printf("%s:%d: FAIL %s\n", __FILE__, __LINE__, #cond);	\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (g_ != NULL && strcmp(g_, w_) == 0)				\
		test_passed++;						\
	else {								\
		test_failed++;						\
		printf("%s:%d: FAIL %s is '%s', want '%s'\n", __FILE__,	\
		    __LINE__, #got, g_ ? g_ : "(null)", w_);		\
	}								\
} while (0)

/* A fixed sequence of pseudo-random numbers (xorshift64), the same in
   every run. */
static uint64_t test_rng = 88172645463325252ULL;

static inline uint64_t
test_rand(void)
{
	test_rng ^= test_rng << 13;
	test_rng ^= test_rng >> 7;
	test_rng ^= test_rng << 17;
	return test_rng;
}

static inline int
test_summary(void)
{
	printf("%d passed, %d failed\n", test_passed, test_failed);
	return test_failed != 0;
}

#endif
