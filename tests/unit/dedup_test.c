/*
 * Unit tests for lib/dedup.c: new, same and changed keys; growth; content
 * fingerprints kept by ordinal.
 */
#include <stdint.h>

#include "dedup.h"
#include "test.h"

/*
 * The k1 of key i of the many: four keys a k1 (told apart by k2), the k1s
 * far apart, as hashed receipts are.  (Consecutive k1s would make one
 * cluster of all the keys, each insert walking it.)
 */
static uint64_t
k1of(uint32_t i)
{
	return 1000 + (uint64_t)(i / 4) * 0x9e3779b97f4a7c15ULL;
}

int
main(void)
{
	struct dedup d;
	uint32_t i, ok = 1;

	dedup_init(&d);
	CHECK(dedup_put(&d, 1, 2, 0, 77) == DEDUP_NEW);
	CHECK(dedup_put(&d, 1, 2, 1, 77) == DEDUP_SAME);
	CHECK(!dedup_gone(&d, 0));
	CHECK(dedup_put(&d, 1, 2, 2, 78) == DEDUP_CHANGED);
	CHECK(dedup_gone(&d, 0) && !dedup_gone(&d, 2) && d.ngone == 1);
	CHECK(dedup_put(&d, 1, 3, 3, 78) == DEDUP_NEW);	/* same k1 */
	CHECK(dedup_put(&d, 0, 0, 4, 5) == DEDUP_NEW);	/* the empty mark */
	CHECK(dedup_put(&d, 0, 0, 5, 5) == DEDUP_SAME);
	/* Many keys, four to a k1: every one found again after growth. */
	for (i = 0; i < 200000; i++)
		if (dedup_put(&d, k1of(i), i, 10 + i, i) != DEDUP_NEW)
			ok = 0;
	CHECK(ok);
	for (i = 0; i < 200000; i++)
		if (dedup_put(&d, k1of(i), i, 10 + i, i) != DEDUP_SAME)
			ok = 0;
	CHECK(ok);
	CHECK(d.n == 200003 && 4 * d.n <= 3 * d.cap);
	/* Faulting a mapped table in keeps what it holds. */
	CHECK(d.mapped > 0);
	dedup_populate(&d);
	for (i = 0; i < 200000; i += 7)
		if (dedup_put(&d, k1of(i), i, 10 + i, i) != DEDUP_SAME)
			ok = 0;
	CHECK(ok);
	/* A table reserved and faulted in before its first key is empty. */
	{
		struct dedup e;

		dedup_init(&e);
		dedup_reserve(&e, 1000000);
		dedup_populate(&e);
		CHECK(e.mapped > 0 && e.n == 0);
		CHECK(dedup_put(&e, 1000, 0, 0, 1) == DEDUP_NEW);
		CHECK(dedup_put(&e, 1000, 0, 1, 1) == DEDUP_SAME);
		dedup_free(&e);
	}
	/* Content kept by ordinal, across growth and far-apart ordinals. */
	CHECK(dedup_put(&d, 1000, 0, 300000, 9) == DEDUP_CHANGED);
	CHECK(dedup_gone(&d, 10) && d.ngone == 2);
	CHECK(dedup_put(&d, 1000, 0, 300001, 9) == DEDUP_SAME);
	CHECK(dedup_put(&d, k1of(7), 7, 5000000, 1) == DEDUP_CHANGED);
	CHECK(dedup_put(&d, k1of(7), 7, 5000001, 1) == DEDUP_SAME);
	CHECK(dedup_put(&d, k1of(7), 7, 5000002, 2) == DEDUP_CHANGED);
	CHECK(dedup_gone(&d, 17) && dedup_gone(&d, 5000000) &&
	    !dedup_gone(&d, 5000002));
	/* Keys that differ only in k2's high half are different keys. */
	CHECK(dedup_put(&d, 77, (uint64_t)1 << 32, 6000000, 1) == DEDUP_NEW);
	CHECK(dedup_put(&d, 77, (uint64_t)2 << 32, 6000001, 1) == DEDUP_NEW);
	CHECK(dedup_put(&d, 77, (uint64_t)2 << 32, 6000002, 1) == DEDUP_SAME);
	CHECK(dedup_bytes(&d) >= d.cap * sizeof(struct dedup_slot) +
	    6000000 * sizeof(uint32_t));
	dedup_free(&d);
	return test_summary();
}
