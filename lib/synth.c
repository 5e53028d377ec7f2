/*
 * synth: the synthetic data generator of synth.h.
 *
 * A context holds the catalog, the stores, the staff and the members, each
 * made up front from a random stream of its own, so that drawing more or
 * fewer numbers in one part (a new name, another sale) leaves the others
 * as they were.  Then the days are simulated in order: the contacts made
 * that day, the member visits (a daily chance: personal rate x season x
 * weekday x contact effect), the visits that contacts brought about, the
 * returns that fall due, and the walk-ins.  The day's receipts are sorted
 * by time per store and written, each store in its own format.
 *
 * Only integer and fixed-point arithmetic decides what is written.  The
 * gamma and beta draws use a fixed-point logarithm and exponential of our
 * own instead of libm, whose last bits differ between C libraries, so no
 * platform difference can change a byte of output.  For the same reason
 * no expression or argument list holds two random draws: C leaves their
 * order open, and compilers do differ (gcc and clang do).
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "io.h"
#include "num.h"
#include "synth.h"

/*
 * Random numbers: xoshiro256** seeded through splitmix64.  Each part of
 * the data has its own stream, derived from the seed and a stream number.
 */
enum {
	STREAM_CATALOG = 1,
	STREAM_STORES,
	STREAM_MEMBERS,
	STREAM_NAMES,
	STREAM_SIM,
	STREAM_DAY,
	STREAM_SINGLE,
	STREAM_MNAMES
};

struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A hash of three numbers, for values that must not depend on a stream. */
static uint64_t
hash3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = a ^ (b * UINT64_C(0xd1b54a32d192ed03)) ^
	    (c * UINT64_C(0x8cb92ba72f3d8dd7));

	splitmix(&x);
	return splitmix(&x);
}

static void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * UINT64_C(0xd1b54a32d192ed03));
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t v = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return v;
}

static inline uint32_t
rng_u32(struct rng *r)
{
	return (uint32_t)(rng_next(r) >> 32);
}

/* Uniform in [0, n); the multiply-shift bias is below 2^-32 per value. */
static inline uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((uint64_t)rng_u32(r) * n) >> 32);
}

/* True with probability pm / 1000. */
static inline int
rng_pm(struct rng *r, unsigned pm)
{
	return rng_below(r, 1000) < pm;
}

/*
 * Fixed point, 32 fraction bits.  fx_neglog() is -ln(u) for a uniform u
 * in (0, 1] given as 32 random bits (an exponential variate); it uses
 * ln(y) = 2 atanh((y-1)/(y+1)) on the mantissa, whose series converges
 * fast for y in [1, 2).  fx_expneg() is exp(-x), by halving with ln 2 and
 * a Taylor series.  Both are good to about 1e-9, far finer than needed.
 */
#define FX_ONE	(UINT64_C(1) << 32)
#define FX_LN2	UINT64_C(2977044472)		/* ln 2 * 2^32 */

static uint64_t
fx_neglog(uint32_t bits)
{
	uint64_t m = (uint64_t)bits + 1, s, s2, t, sum;
	unsigned k;
	int e = 0;

	if (m == FX_ONE)
		return 0;
	while (m < (UINT64_C(1) << 31)) {
		m <<= 1;
		e++;
	}
	/* u = (m / 2^31) * 2^-(e+1), with m / 2^31 in [1, 2). */
	s = ((m - (UINT64_C(1) << 31)) << 32) / (m + (UINT64_C(1) << 31));
	s2 = (s * s) >> 32;
	sum = t = s;
	for (k = 3; t != 0; k += 2) {
		t = (t * s2) >> 32;
		sum += t / k;
	}
	return (uint64_t)(e + 1) * FX_LN2 - 2 * sum;
}

static uint64_t
fx_expneg(uint64_t x)
{
	uint64_t k = x / FX_LN2, r = x - k * FX_LN2, t = FX_ONE;
	uint64_t pos = FX_ONE, neg = 0;
	unsigned n;

	if (k >= 40)
		return 0;
	for (n = 1; t != 0; n++) {
		t = ((t * r) >> 32) / n;
		if (n & 1)
			neg += t;
		else
			pos += t;
	}
	return (pos - neg) >> k;
}

/*
 * A gamma variate of shape/1000 and scale 1, in fixed point: a sum of
 * exponentials for the whole part of the shape, Johnk's method for the
 * fraction.
 */
static uint64_t
fx_gamma(struct rng *r, unsigned shape)
{
	unsigned n = shape / 1000, f = shape % 1000;
	uint64_t g = 0, x, y, q, ex;

	while (n-- > 0)
		g += fx_neglog(rng_u32(r));
	if (f == 0)
		return g;
	for (;;) {
		x = fx_expneg(fx_neglog(rng_u32(r)) * 1000 / f);
		y = fx_expneg(fx_neglog(rng_u32(r)) * 1000 / (1000 - f));
		if (x + y > 0 && x + y <= FX_ONE)
			break;
	}
	q = y == 0 ? FX_ONE : (x << 32) / (x + y);
	ex = fx_neglog(rng_u32(r));
	return g + ((ex * (q >> 16)) >> 16);
}

/* A beta variate (shapes a/1000, b/1000) as a 32-bit probability. */
static uint32_t
fx_beta(struct rng *r, unsigned a, unsigned b)
{
	uint64_t ga = fx_gamma(r, a), sum = ga + fx_gamma(r, b);

	if (sum == 0)
		return 0;
	while (sum >= (UINT64_C(1) << 31)) {
		ga >>= 1;
		sum >>= 1;
	}
	if (sum == 0)
		return 0;
	ga = (ga << 32) / sum;
	return ga >= FX_ONE ? UINT32_MAX : (uint32_t)ga;
}

/*
 * The catalog.  Price points are the ones clothing is sold at; each
 * category spans a range of them.
 */
static const int prices[] = {
	59, 79, 99, 129, 159, 199, 259, 299, 359, 399, 459, 499, 599, 699,
	799, 899, 999, 1099, 1299, 1499, 1599, 1899, 1999, 2299, 2599, 2999,
	3299, 3999
};

#define NCAT		11
#define SKUS_PER_CAT	40

static const struct category {
	const char	*code;
	const char	*name;
	int		 lo, hi;	/* range of prices[] */
	char		 season;	/* A spring, B summer, C autumn, D winter */
} cats[NCAT] = {
	{ "TS", "T恤", 0, 5, 'B' },
	{ "SH", "衬衫", 5, 10, 'A' },
	{ "DR", "连衣裙", 7, 18, 'B' },
	{ "KN", "针织衫", 6, 14, 'C' },
	{ "SW", "毛衣", 8, 17, 'D' },
	{ "PT", "长裤", 5, 13, 'C' },
	{ "SK", "半身裙", 5, 12, 'A' },
	{ "JK", "外套", 12, 20, 'C' },
	{ "CT", "大衣", 16, 27, 'D' },
	{ "DJ", "羽绒服", 15, 25, 'D' },
	{ "AC", "围巾", 0, 7, 'D' }
};

/* What sells in which month: weight of each category, by month. */
static const unsigned char catmonth[12][NCAT] = {
	{  2,  4,  3, 10, 14, 12,  4, 10, 18, 20,  3 },
	{  3,  6,  5, 12, 12, 12,  5, 12, 14, 14,  5 },
	{  6, 10,  8, 12,  8, 12,  8, 16, 10,  4,  6 },
	{ 12, 12, 12, 10,  5, 12, 10, 14,  5,  1,  7 },
	{ 18, 12, 16,  6,  2, 12, 14, 10,  2,  1,  8 },
	{ 24, 10, 18,  3,  1, 12, 16,  6,  1,  1,  9 },
	{ 24, 10, 18,  3,  1, 12, 16,  6,  1,  1,  9 },
	{ 20, 12, 16,  5,  3, 12, 14,  8,  2,  1,  8 },
	{ 12, 14, 12, 12,  6, 12, 10, 12,  5,  1,  4 },
	{  6, 10,  8, 14, 12, 12,  6, 14, 10,  4,  4 },
	{  3,  6,  4, 12, 14, 12,  4, 10, 16, 16,  3 },
	{  2,  4,  4, 10, 14, 12,  4,  8, 18, 20,  4 }
};

static const char *const adjs[] = {
	"修身", "宽松", "法式", "复古", "简约", "通勤", "休闲", "百搭",
	"真丝", "羊毛", "纯棉", "亚麻", "双面呢", "高腰", "碎花", "条纹"
};
static const char *const colors[] = {
	"黑色", "白色", "藏青", "驼色", "燕麦色", "雾霾蓝", "酒红", "墨绿",
	"米白", "浅灰", "卡其", "粉色"
};
static const char *const tags[] = { "小香风", "轻奢", "法式", "通勤" };

/* Cities: the store codes and the names used for company customers. */
static const char *const citycode[] = {
	"SH", "BJ", "GZ", "SZ", "HZ", "CD", "WH", "NJ", "XA", "CQ",
	"TJ", "SU", "CS", "ZZ", "QD", "XM", "KM", "SY", "DL", "NB"
};
static const char *const cityname[] = {
	"上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安",
	"重庆", "天津", "苏州", "长沙", "郑州", "青岛", "厦门", "昆明", "沈阳",
	"大连", "宁波"
};
#define NCITY	(sizeof(citycode) / sizeof(citycode[0]))

/* Surnames with rough weights (per mille of the population). */
static const struct {
	const char	*s;
	unsigned char	 w;
} surnames[] = {
	{ "王", 72 }, { "李", 72 }, { "张", 68 }, { "刘", 53 }, { "陈", 45 },
	{ "杨", 32 }, { "黄", 24 }, { "赵", 20 }, { "吴", 20 }, { "周", 19 },
	{ "徐", 15 }, { "孙", 15 }, { "马", 13 }, { "朱", 13 }, { "胡", 12 },
	{ "郭", 11 }, { "何", 10 }, { "高", 10 }, { "林", 10 }, { "罗", 9 },
	{ "郑", 9 }, { "梁", 8 }, { "谢", 7 }, { "宋", 7 }, { "唐", 7 },
	{ "许", 6 }, { "韩", 6 }, { "冯", 6 }, { "邓", 6 }, { "曹", 6 },
	{ "彭", 5 }, { "曾", 5 }, { "肖", 5 }, { "田", 5 }, { "董", 5 },
	{ "袁", 4 }, { "潘", 4 }, { "于", 4 }, { "蒋", 4 }, { "蔡", 4 },
	{ "余", 4 }, { "杜", 4 }, { "叶", 4 }, { "程", 4 }, { "苏", 3 },
	{ "魏", 3 }, { "吕", 3 }, { "丁", 3 }, { "任", 3 }, { "沈", 3 },
	{ "姚", 3 }, { "卢", 3 }, { "姜", 3 }, { "崔", 3 }, { "钟", 3 },
	{ "谭", 3 }, { "陆", 3 }, { "汪", 3 }, { "范", 3 }, { "金", 3 },
	{ "石", 3 }, { "廖", 3 }, { "贾", 2 }, { "夏", 2 }, { "韦", 2 },
	{ "付", 2 }, { "方", 2 }, { "白", 2 }, { "邹", 2 }, { "孟", 2 },
	{ "熊", 2 }, { "秦", 2 }, { "邱", 2 }, { "江", 2 }, { "尹", 2 },
	{ "薛", 2 }, { "闫", 2 }, { "段", 2 }, { "雷", 2 }, { "侯", 2 },
	{ "龙", 2 }, { "史", 2 }, { "陶", 2 }, { "黎", 2 }, { "贺", 2 },
	{ "顾", 2 }, { "毛", 2 }, { "郝", 2 }, { "龚", 2 }, { "邵", 2 },
	{ "万", 2 }, { "钱", 2 }, { "严", 2 }, { "覃", 1 }, { "武", 1 },
	{ "戴", 1 }, { "莫", 1 }, { "孔", 1 }, { "向", 1 }, { "汤", 1 },
	{ "欧阳", 1 }, { "上官", 1 }
};
#define NSURNAME	(sizeof(surnames) / sizeof(surnames[0]))

static const char *const fchars[] = {
	"丽", "静", "敏", "燕", "艳", "娟", "霞", "芳", "婷", "雪", "琳", "玲",
	"萍", "红", "洁", "欣", "怡", "佳", "颖", "慧", "晶", "璐", "瑶", "梦",
	"雯", "倩", "妍", "悦", "莉", "蕾", "茜", "晴", "蓉", "薇", "菲", "秀",
	"英", "华", "兰", "凤", "梅", "月", "彤", "诗", "涵", "雨", "思", "嘉",
	"可", "馨", "子", "一", "雅", "宁", "琪", "心", "文", "晓", "若"
};
static const char *const mchars[] = {
	"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平",
	"辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆",
	"旭", "宁", "龙", "林", "阳", "晨", "峰", "博", "文", "志", "建", "国",
	"东", "海", "鸣", "子", "一", "轩", "睿", "泽", "然"
};
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const firms[] = {
	"恒达", "华盛", "金鼎", "鑫源", "博远", "瑞丰", "宏图", "众诚", "嘉禾",
	"永信", "天成", "佳美", "锦程", "百盛", "新世纪"
};
static const char *const dealerkind[] = {
	"服饰商行", "服装店", "服饰有限公司"
};
static const char *const groupkind[] = {
	"科技有限公司", "酒店", "物业管理有限公司", "实验学校", "银行支行",
	"医院"
};

/* Mobile number prefixes in use in China. */
static const int mobile[] = {
	130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155,
	156, 157, 158, 159, 166, 173, 176, 177, 180, 181, 182, 183, 185, 186,
	187, 188, 189, 191, 198, 199
};

/* Receipts by hour of day: shops open 10:00-22:00; the web shop never closes. */
static const unsigned char hour_store[24] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 5, 6, 7, 8, 9, 9, 8, 8, 10, 10, 6,
	0, 0
};
static const unsigned char hour_web[24] = {
	4, 2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 6, 5, 5, 5, 5, 6, 7, 9, 10,
	10, 7
};
/* Traffic by weekday (Monday first), percent of an ordinary day. */
static const unsigned short wd_store[7] = { 85, 85, 90, 95, 110, 150, 140 };
static const unsigned short wd_web[7] = { 100, 95, 95, 100, 105, 110, 105 };

/* Spring Festival (lunar new year's day), 2010 to 2040. */
static const struct {
	short	 y;
	char	 m, d;
} springfest[] = {
	{ 2010, 2, 14 }, { 2011, 2, 3 }, { 2012, 1, 23 }, { 2013, 2, 10 },
	{ 2014, 1, 31 }, { 2015, 2, 19 }, { 2016, 2, 8 }, { 2017, 1, 28 },
	{ 2018, 2, 16 }, { 2019, 2, 5 }, { 2020, 1, 25 }, { 2021, 2, 12 },
	{ 2022, 2, 1 }, { 2023, 1, 22 }, { 2024, 2, 10 }, { 2025, 1, 29 },
	{ 2026, 2, 17 }, { 2027, 2, 6 }, { 2028, 1, 26 }, { 2029, 2, 13 },
	{ 2030, 2, 3 }, { 2031, 1, 23 }, { 2032, 2, 11 }, { 2033, 1, 31 },
	{ 2034, 2, 19 }, { 2035, 2, 8 }, { 2036, 1, 28 }, { 2037, 2, 15 },
	{ 2038, 2, 4 }, { 2039, 1, 24 }, { 2040, 2, 12 }
};

/* The physical stores' formats, in the order stores take them. */
static const int phys_styles[4] = {
	SYNTH_CNUTF8, SYNTH_CNGBK, SYNTH_EXCEL, SYNTH_REPORT
};
static const char *const style_names[SYNTH_NSTYLES] = {
	"cn-utf8", "cn-gbk", "excel", "report", "online"
};

/* Member id schemes: the card system of the store where a member joined. */
enum { ID_PHONE, ID_VIP, ID_CARD };
enum { T_RETAIL, T_DEALER, T_GROUP };
enum { TIER_NORMAL, TIER_SILVER, TIER_GOLD, TIER_DIAMOND };
enum { OPT_EMPTY, OPT_NO, OPT_YES };

static const char *const tiername[] = { "普通", "银卡", "金卡", "钻石" };
static const char *const typenames[] = { "零售", "经销商", "团购" };
static const char *const optname[] = { "", "否", "是" };
/* Member discounts by tier, permille of the price. */
static const unsigned short tierpm[] = { 1000, 950, 900, 850 };

#define MAXLINES	8
#define WALK_PCT	80	/* walk-ins per 100 member receipts */
#define SINGLE_RETURN_PM 200	/* --single: a member's receipts that return */
#define SINGLE_WALKIN_RETURN_PM 42	/* --single: walk-in receipts that return */

struct sku {
	char	 code[12];
	int32_t	 cat;
	int32_t	 old;		/* last year's line: sold at clearance */
	int32_t	 price;		/* list price, yuan */
	uint32_t desc;		/* offset of the description in the pool */
	int64_t	 unit;		/* list price, cents */
};

struct store {
	char	 id[8];
	int	 num;		/* 1-based, for receipt numbers */
	int	 style;
	int	 web;		/* the web shop: no walk-ins, no assistants */
	int	 scheme;	/* ID_*: ids of members who join here */
	unsigned weight;	/* relative size */
	int32_t	 staff0;	/* its assistants are staff[staff0 ..] */
	int32_t	 nstaff;
	uint64_t expect;	/* member receipts expected today, Q32 */
	int	 city;
};

struct staff {
	char	 id[8];
	int32_t	 store;
	int32_t	 leave;		/* leave date, DAY_NONE while employed */
};

struct member {
	char	 id[12];
	int32_t	 join;
	int32_t	 last;		/* last purchase, DAY_NONE if none yet */
	int32_t	 rc_day;	/* day of rc_idx, the receipt made today */
	int32_t	 rc_idx;
	int32_t	 boost_until;	/* a contact raises the rate until then */
	int32_t	 staff;		/* assigned assistant, -1 for none */
	uint32_t lam;		/* purchase rate, per million days */
	uint32_t drop;		/* chance to drop out after a purchase */
	int32_t	 lsku;		/* --single: the last line bought */
	int32_t	 lday;
	uint16_t lstore;
	uint16_t lpm;
	uint16_t spend;		/* typical item price, yuan */
	uint16_t online;	/* permille of visits made online */
	uint16_t home;
	uint16_t boost;		/* percent while boost_until lasts */
	uint16_t bmd;		/* birthday as month * 100 + day, 0 if unknown */
	uint8_t	 type, tier, alive, optout;
};

struct line {
	int32_t	 sku;
	int32_t	 qty;		/* negative for a return */
	int32_t	 pm;		/* price paid, permille of the list price */
	int32_t	 mangle;	/* Excel mangled the member id on this row */
	int64_t	 amount;	/* cents */
};

struct rcpt {
	int32_t	 secs;		/* time of day */
	int32_t	 member;	/* -1 for a walk-in */
	int32_t	 staff;		/* -1 for none */
	int32_t	 store;
	int32_t	 nlines;
	struct line l[MAXLINES];
};

struct ret {			/* a return that falls due */
	int32_t	 member;
	int32_t	 sku;
	int32_t	 qty;
	int32_t	 pm;
	int32_t	 store;
};

struct promise {		/* a visit a contact brought about */
	int32_t	 member;
	int32_t	 staff;
};

struct vec {			/* a growable array of n items */
	void	*p;
	size_t	 n;
	size_t	 cap;
};

struct ctx {
	const struct synth_opts *o;
	struct rng	 sim;
	int32_t		 ndays;
	int		 endyear;
	/* catalog */
	struct sku	*skus;
	int32_t		 catfirst[NCAT];
	struct buf	 pool;
	uint32_t	 spendq[4096];	/* price noise per line, x1/1024 */
	/* stores and people */
	struct store	*stores;
	int		 nstores;
	int		 web;		/* index of the web shop, -1 if none */
	int		 nphys;
	unsigned	 physweight;
	struct staff	*staff;
	int32_t		 nstaff;
	struct member	*m;
	int64_t		 nm;
	/* the day being simulated */
	int32_t		 day;
	int		 y, mo, dd, wd;
	unsigned	 fstore, fweb;	/* traffic, percent */
	unsigned	 dstore, dweb;	/* event price, permille */
	unsigned	 catcum[NCAT];
	uint16_t	 bday_md;	/* birthdays contacted today */
	int		 newarrival, sfgift, d11, p618;
	struct vec	 rc;		/* struct rcpt */
	struct vec	 keys;		/* uint64_t: time << 32 | index */
	struct vec	 rets[32];	/* struct ret, by due day % 32 */
	struct vec	 promises[8];	/* struct promise, by day % 8 */
	struct buf	 contacts;
	uint64_t	 ncontacts;
	/* output */
	struct cv_out	 out;
	int		 open;
	iconv_t		 cd;
	int		 gbk;
	struct buf	 ob;
	struct buf	 path;
	struct synth_stats *st;
	int		 single;	/* synth_single: no returns scheduled */
};

static void *
vec_add(struct vec *v, size_t size)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->p = xreallocarray(v->p, v->cap, size);
	}
	return (char *)v->p + size * v->n++;
}

static void
vec_free(struct vec *v)
{
	free(v->p);
	v->p = NULL;
	v->n = v->cap = 0;
}

int
synth_style(const char *s)
{
	int i;

	if (strcmp(s, "mixed") == 0)
		return SYNTH_MIXED;
	for (i = 0; i < SYNTH_NSTYLES; i++)
		if (strcmp(s, style_names[i]) == 0)
			return i;
	return SYNTH_UNKNOWN;
}

const char *
synth_style_name(int style)
{
	if (style >= 0 && style < SYNTH_NSTYLES)
		return style_names[style];
	return "mixed";
}

/*
 * Output.  Rows are built in c->ob and handed on in blocks: to the file
 * as they are, or through iconv for a GBK file.  Blocks end at a row end,
 * so a character is never cut in two on its way to iconv.
 */
#define OB_BLOCK	(64 * 1024)
#define ROW_MAX		2048		/* no row is longer */

static int
sink_open(struct ctx *c, const char *path, int gbk, int flags,
    struct cv_error *e)
{
	if (gbk && c->cd == (iconv_t)-1) {
		c->cd = iconv_open("GBK", "UTF-8");
		if (c->cd == (iconv_t)-1)
			return cv_fail(e, EX_OSERR, "cannot convert to GBK: %s",
			    strerror(errno));
	}
	if (out_open(&c->out, path, flags, e) < 0)
		return -1;
	c->open = 1;
	c->gbk = gbk;
	buf_reset(&c->ob);
	return 0;
}

static int
sink_flush(struct ctx *c, struct cv_error *e)
{
	char tmp[OB_BLOCK], *in = c->ob.p, *op;
	size_t inl = c->ob.len, ol;

	if (!c->gbk) {
		out_write(&c->out, c->ob.p, c->ob.len);
		buf_reset(&c->ob);
		return 0;
	}
	while (inl > 0) {
		op = tmp;
		ol = sizeof(tmp);
		if (iconv(c->cd, &in, &inl, &op, &ol) == (size_t)-1 &&
		    errno != E2BIG)
			return cv_fail(e, EX_SOFTWARE, "%s: cannot write '%.*s' "
			    "in GBK", c->out.name, (int)(inl < 12 ? inl : 12),
			    in);
		out_write(&c->out, tmp, (size_t)(op - tmp));
	}
	buf_reset(&c->ob);
	return 0;
}

/* Make room for one more row; flush a full block first. */
static int
sink_room(struct ctx *c, struct cv_error *e)
{
	if (c->ob.len >= OB_BLOCK && sink_flush(c, e) < 0)
		return -1;
	if (c->ob.cap - c->ob.len < ROW_MAX + 1)
		buf_grow(&c->ob, ROW_MAX);
	return 0;
}

static int
sink_close(struct ctx *c, struct cv_error *e)
{
	c->open = 0;
	if (sink_flush(c, e) < 0) {
		out_abort(&c->out);
		return -1;
	}
	if (out_close(&c->out, e) < 0)
		return -1;
	c->st->files++;
	return 0;
}

/*
 * Row writers: raw appends at p, with room made by sink_room().  They
 * return the new end.
 */
static inline char *
w_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static inline char *
w_str(char *p, const char *s)
{
	return w_mem(p, s, strlen(s));
}

static inline char *
w_uint(char *p, uint64_t v)
{
	char t[24];
	int k = 0;

	do {
		t[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (k > 0)
		*p++ = t[--k];
	return p;
}

static inline char *
w_int(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return w_uint(p, (uint64_t)0 - (uint64_t)v);
	}
	return w_uint(p, (uint64_t)v);
}

/* v with at least width digits, zeros in front. */
static inline char *
w_zero(char *p, uint64_t v, int width)
{
	char t[24];
	int k = 0;

	do {
		t[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 || k < width);
	while (k > 0)
		*p++ = t[--k];
	return p;
}

static inline char *
w_2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* Money as a plain decimal: -1143.12 */
static inline char *
w_money(char *p, int64_t cents)
{
	uint64_t u;

	if (cents < 0) {
		*p++ = '-';
		u = (uint64_t)0 - (uint64_t)cents;
	} else
		u = (uint64_t)cents;
	p = w_uint(p, u / 100);
	*p++ = '.';
	return w_2(p, (int)(u % 100));
}

/*
 * Money the way Excel writes a currency cell: -¥1,299.00, quoted when
 * the thousands separator makes it hold a comma.
 */
static char *
w_yen(char *p, int64_t cents)
{
	char t[32];
	uint64_t u = cents < 0 ? (uint64_t)0 - (uint64_t)cents :
	    (uint64_t)cents, y = u / 100;
	int k = 0, n = 0, quote = y >= 1000;

	if (quote)
		*p++ = '"';
	if (cents < 0)
		*p++ = '-';
	p = w_str(p, "¥");
	do {
		if (n > 0 && n % 3 == 0)
			t[k++] = ',';
		t[k++] = (char)('0' + y % 10);
		y /= 10;
		n++;
	} while (y != 0);
	while (k > 0)
		*p++ = t[--k];
	*p++ = '.';
	p = w_2(p, (int)(u % 100));
	if (quote)
		*p++ = '"';
	return p;
}

/* A CSV field, quoted (RFC 4180) only when it must be. */
static char *
w_csv(char *p, const char *s, char sep)
{
	const char *q;

	for (q = s; *q != '\0'; q++)
		if (*q == sep || *q == '"' || *q == '\n' || *q == '\r')
			break;
	if (*q == '\0')
		return w_str(p, s);
	*p++ = '"';
	for (q = s; *q != '\0'; q++) {
		if (*q == '"')
			*p++ = '"';
		*p++ = *q;
	}
	*p++ = '"';
	return p;
}

/* An id: prefix, then v with at least width digits, into dst[n]. */
static void
idfmt(char *dst, size_t n, const char *prefix, uint64_t v, int width)
{
	char t[48], *p;
	size_t k;

	p = w_zero(w_str(t, prefix), v, width);
	k = (size_t)(p - t) < n ? (size_t)(p - t) : n - 1;
	memcpy(dst, t, k);
	dst[k] = '\0';
}

static int
row_end(struct ctx *c, char *p, struct cv_error *e)
{
	c->ob.len = (size_t)(p - c->ob.p);
	c->ob.p[c->ob.len] = '\0';
	return sink_room(c, e);
}

static char *
row_start(struct ctx *c)
{
	return c->ob.p + c->ob.len;
}

/* Create dir and its parents, like mkdir -p. */
static int
mkdirs(const char *dir, struct cv_error *e)
{
	char *p, *s = xstrdup(dir);
	struct stat sb;
	int r = 0;

	for (p = s; *p != '\0'; ) {
		p++;
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char ch = *p;

			*p = '\0';
			if (mkdir(s, 0777) < 0 && errno != EEXIST) {
				r = cv_fail(e, EX_CANTCREAT, "%s: cannot create "
				    "folder: %s", dir, strerror(errno));
				break;
			}
			*p = ch;
		}
	}
	if (r == 0) {
		if (stat(dir, &sb) < 0)
			r = cv_fail(e, EX_CANTCREAT, "%s: cannot create "
			    "folder: %s", dir, strerror(errno));
		else if (!S_ISDIR(sb.st_mode))
			r = cv_fail(e, EX_CANTCREAT, "%s: not a folder", dir);
	}
	free(s);
	return r;
}

/*
 * Calendar: traffic and prices on a given day.  A day is ordinary (100%)
 * unless it falls on a weekend, a shopping festival or a holiday.
 */
static int32_t
springfest_of(int y)
{
	size_t i;

	for (i = 0; i < NELEM(springfest); i++)
		if (springfest[i].y == y)
			return day_from_civil(y, springfest[i].m,
			    springfest[i].d);
	return DAY_NONE;
}

static void
day_setup(struct ctx *c, int32_t d)
{
	unsigned ph = 100, on = 100, dph = 1000, don = 1000, noise, acc = 0;
	int32_t sf, k;
	int i;

	c->day = d;
	civil_from_day(d, &c->y, &c->mo, &c->dd);
	c->wd = day_weekday(d);
	sf = springfest_of(c->y);
	k = sf == DAY_NONE ? 1000 : d - sf;
	if (k >= -21 && k <= -1) {
		/* New clothes for the new year: the busiest weeks. */
		ph = 140 + (unsigned)(21 + k) * 5;
		on = k <= -10 ? 140 : 60;	/* couriers stop before it */
		dph = don = 900;
	} else if (k >= 0 && k <= 2) {
		ph = 50;
		on = 50;
	} else if (k >= 3 && k <= 7) {
		ph = 140;
		on = 80;
	} else if (c->mo == 6 && c->dd <= 17) {
		ph = 110;
		on = 140;
		dph = 900;
		don = 850;
	} else if (c->mo == 6 && c->dd == 18) {
		ph = 130;
		on = 400;
		dph = don = 850;
	} else if (c->mo == 11 && c->dd <= 10) {
		ph = 115;
		on = 160;
		dph = 900;
		don = 850;
	} else if (c->mo == 11 && c->dd == 11) {
		ph = 150;
		on = 600;
		dph = don = 800;
	} else if (c->mo == 11 && c->dd == 12) {
		on = 200;
	} else if (c->mo == 10 && c->dd <= 7) {
		ph = 170;
		on = 90;
		dph = 880;
	} else if (c->mo == 5 && c->dd <= 5) {
		ph = 150;
		dph = 900;
	} else if (c->mo == 12 && c->dd >= 20 && c->dd <= 25) {
		ph = c->dd >= 24 ? 180 : 150;
		on = 120;
		dph = don = 900;
	} else if ((c->mo == 12 && c->dd == 31) || (c->mo == 1 && c->dd == 1)) {
		ph = 140;
		on = 120;
	} else if ((c->mo == 1 || c->mo == 7) && c->dd >= 10) {
		ph = 105;			/* end-of-season sale */
		dph = don = 700;
	}
	/* Weather and chance: the same for a day whatever the options. */
	noise = 90 + (unsigned)(hash3(c->o->seed, STREAM_DAY, (uint64_t)d) %
	    21);
	c->fstore = ph * wd_store[c->wd] / 100 * noise / 100;
	c->fweb = on * wd_web[c->wd] / 100 * noise / 100;
	c->dstore = dph;
	c->dweb = don;
	for (i = 0; i < NCAT; i++) {
		acc += catmonth[c->mo - 1][i];
		c->catcum[i] = acc;
	}
	/* Contact campaigns. */
	{
		int by, bm, bd;

		civil_from_day(d + 3, &by, &bm, &bd);
		c->bday_md = (uint16_t)(bm * 100 + bd);
	}
	c->newarrival = c->dd <= 7 && c->wd == 4;	/* first Friday */
	sf = springfest_of(c->y + (c->mo >= 12));
	c->sfgift = sf != DAY_NONE && d == sf - 14;
	c->d11 = c->mo == 11 && c->dd == 5;
	c->p618 = c->mo == 6 && c->dd == 10;
}

/* The catalog: SKUS_PER_CAT styles per category, sorted by price. */
static void
catalog_make(struct ctx *c)
{
	struct rng r;
	struct buf d = BUF_INIT;
	int i, j, k, n = 0, yy = c->endyear % 100;

	rng_seed(&r, c->o->seed, STREAM_CATALOG);
	c->skus = xcalloc(NCAT * SKUS_PER_CAT, sizeof(*c->skus));
	buf_addc(&c->pool, '\0');
	for (i = 0; i < NCAT; i++) {
		const struct category *ct = &cats[i];
		int pidx[SKUS_PER_CAT];

		c->catfirst[i] = n;
		for (j = 0; j < SKUS_PER_CAT; j++)
			pidx[j] = ct->lo + (int)rng_below(&r,
			    (uint32_t)(ct->hi - ct->lo + 1));
		/* Sort the prices so the search by price can bisect. */
		for (j = 1; j < SKUS_PER_CAT; j++)
			for (k = j; k > 0 && pidx[k - 1] > pidx[k]; k--) {
				int t = pidx[k];

				pidx[k] = pidx[k - 1];
				pidx[k - 1] = t;
			}
		for (j = 0; j < SKUS_PER_CAT; j++, n++) {
			struct sku *s = &c->skus[n];
			char season = rng_pm(&r, 700) ? ct->season :
			    (char)('A' + rng_below(&r, 4));
			const char *adj = adjs[rng_below(&r, NELEM(adjs))];
			const char *col = colors[rng_below(&r, NELEM(colors))];
			unsigned form = rng_below(&r, 100);

			s->cat = i;
			s->old = rng_pm(&r, 250);
			s->price = prices[pidx[j]];
			s->unit = (int64_t)s->price * 100;
			snprintf(s->code, sizeof(s->code), "%02d%c%s%03d",
			    s->old ? (yy + 99) % 100 : yy, season, ct->code,
			    100 + j * 20 + (int)rng_below(&r, 20));
			/*
			 * Descriptions as shop staff type them: with commas,
			 * with quotes, now and then with a line break (a
			 * gift box note typed on a second line).
			 */
			buf_reset(&d);
			if (i == NCAT - 1 && j == 18)
				buf_printf(&d, "%s%s\n礼盒装", adj, ct->name);
			else if (form < 50)
				buf_printf(&d, "%s%s,%s", adj, ct->name, col);
			else if (form < 75)
				buf_printf(&d, "%s%s %s", adj, ct->name, col);
			else
				buf_printf(&d, "%s \"%s\" %s", ct->name,
				    tags[rng_below(&r, NELEM(tags))], col);
			s->desc = (uint32_t)c->pool.len;
			buf_add(&c->pool, d.p, d.len + 1);
		}
	}
	buf_free(&d);
	/* Price noise per line: gamma(6)/6 draws, so spend varies around the mean. */
	for (i = 0; i < (int)NELEM(c->spendq); i++)
		c->spendq[i] = (uint32_t)((fx_gamma(&r, 6000) / 6) >> 22);
}

/*
 * A style of category cat at about `target` yuan: any of the styles at
 * the nearest price point or the one just below or above it.
 */
static int32_t
sku_pick(struct ctx *c, int cat, uint32_t target)
{
	const struct sku *s = c->skus + c->catfirst[cat];
	int lo = 0, hi = SKUS_PER_CAT, mid, first, last;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((uint32_t)s[mid].price < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == SKUS_PER_CAT)
		lo--;
	first = last = lo;
	while (first > 0 && s[first - 1].price == s[lo].price)
		first--;
	while (last < SKUS_PER_CAT - 1 && s[last + 1].price == s[lo].price)
		last++;
	if (first > 0)
		first--;
	if (last < SKUS_PER_CAT - 1)
		last++;
	return c->catfirst[cat] + first + (int)rng_below(&c->sim,
	    (uint32_t)(last - first + 1));
}

static int
cat_pick(struct ctx *c)
{
	uint32_t u = rng_below(&c->sim, c->catcum[NCAT - 1]);
	int i;

	for (i = 0; i < NCAT - 1 && u >= c->catcum[i]; i++)
		;
	return i;
}

/*
 * Stores and their staff.  Physical stores take the formats in rotation;
 * the fifth store, when there is one, is the web shop.
 */
static int
store_pick(struct ctx *c, struct rng *r, int physonly)
{
	unsigned total = physonly ? c->physweight : c->physweight +
	    (c->web >= 0 ? c->stores[c->web].weight : 0);
	unsigned u = rng_below(r, total);
	int i;

	for (i = 0; i < c->nstores; i++) {
		if (physonly && c->stores[i].web)
			continue;
		if (u < c->stores[i].weight)
			return i;
		u -= c->stores[i].weight;
	}
	return 0;
}

static int
staff_active(const struct ctx *c, int32_t s, int32_t d)
{
	return c->staff[s].leave == DAY_NONE || d < c->staff[s].leave;
}

/*
 * An assistant for a member who joins on day d: one of the store's at work
 * that day, each as likely (stores keep two); -1 for the web shop.
 */
static int32_t
staff_at(const struct ctx *c, struct rng *r, int store, int32_t d)
{
	const struct store *st = &c->stores[store];
	int32_t i, n = 0;
	uint32_t k;

	for (i = st->staff0; i < st->staff0 + st->nstaff; i++)
		n += staff_active(c, i, d);
	if (n == 0)
		return -1;
	k = rng_below(r, (uint32_t)n);
	for (i = st->staff0; ; i++)
		if (staff_active(c, i, d) && k-- == 0)
			return i;
}

/* Any assistant of the store at work on day d (stores keep two). */
static int32_t
staff_any(struct ctx *c, int store, int32_t d)
{
	const struct store *st = &c->stores[store];
	int32_t i, k;

	if (st->nstaff == 0)
		return -1;
	for (k = 0; k < 8; k++) {
		i = st->staff0 + (int32_t)rng_below(&c->sim,
		    (uint32_t)st->nstaff);
		if (staff_active(c, i, d))
			return i;
	}
	for (i = st->staff0; i < st->staff0 + st->nstaff; i++)
		if (staff_active(c, i, d))
			return i;
	return -1;
}

static void
name_make(struct rng *r, int female, struct buf *b)
{
	static unsigned total;
	unsigned u;
	size_t i;

	if (total == 0)
		for (i = 0; i < NSURNAME; i++)
			total += surnames[i].w;
	u = rng_below(r, total);
	for (i = 0; i < NSURNAME - 1 && u >= surnames[i].w; i++)
		u -= surnames[i].w;
	buf_adds(b, surnames[i].s);
	if (female) {
		buf_adds(b, fchars[rng_below(r, NELEM(fchars))]);
		if (rng_pm(r, 700))
			buf_adds(b, fchars[rng_below(r, NELEM(fchars))]);
	} else {
		buf_adds(b, mchars[rng_below(r, NELEM(mchars))]);
		if (rng_pm(r, 700))
			buf_adds(b, mchars[rng_below(r, NELEM(mchars))]);
	}
}

static void
stores_make(struct ctx *c, struct buf *roster)
{
	struct rng r, rn;
	struct buf name = BUF_INIT;
	int i, nphys = 0;
	int32_t n = 0, k, total, nleave, tries;
	int32_t *active;
	char date[11];

	rng_seed(&r, c->o->seed, STREAM_STORES);
	rng_seed(&rn, c->o->seed, STREAM_NAMES);
	c->nstores = c->o->nstores;
	c->stores = xcalloc((size_t)c->nstores, sizeof(*c->stores));
	c->web = c->nstores >= 5 ? 4 : -1;
	for (i = 0; i < c->nstores; i++) {
		struct store *s = &c->stores[i];

		s->num = i + 1;
		s->web = i == c->web;
		s->city = i % (int)NCITY;
		if (s->web) {
			idfmt(s->id, sizeof(s->id), "EC", (uint64_t)i + 1, 3);
			s->style = SYNTH_ONLINE;
			s->weight = 40;
		} else {
			idfmt(s->id, sizeof(s->id), citycode[s->city],
			    (uint64_t)i + 1, 3);
			s->style = phys_styles[nphys % 4];
			/* The first store is the flagship. */
			s->weight = i == 0 ? 150 : 60 + rng_below(&r, 61);
			c->physweight += s->weight;
			nphys++;
		}
		if (c->o->style != SYNTH_MIXED)
			s->style = c->o->style;
		s->scheme = s->web ? ID_PHONE : i % 4 == 1 ? ID_VIP :
		    i == 3 ? ID_CARD : ID_PHONE;
	}
	c->nphys = nphys;
	/* Assistants: three, and one more per 150 members the store serves. */
	for (i = 0; i < c->nstores; i++) {
		struct store *s = &c->stores[i];
		int64_t serves;

		s->staff0 = n;
		if (s->web)
			continue;
		serves = c->o->nmembers * s->weight / (c->physweight +
		    (c->web >= 0 ? 40 : 0));
		s->nstaff = (int32_t)(3 + serves / 150);
		if (s->nstaff > 60)
			s->nstaff = 60;
		n += s->nstaff;
	}
	c->nstaff = n;
	c->staff = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*c->staff));
	for (i = 0; i < c->nstores; i++)
		for (k = 0; k < c->stores[i].nstaff; k++) {
			struct staff *sf = &c->staff[c->stores[i].staff0 + k];

			idfmt(sf->id, sizeof(sf->id), "G",
			    (uint64_t)(c->stores[i].staff0 + k + 1), 4);
			sf->store = i;
			sf->leave = DAY_NONE;
		}
	/*
	 * About one assistant in ten has left; their customers are still
	 * assigned to them, as happens when nobody hands them over.  Each
	 * store keeps at least two at work.
	 */
	total = n;
	nleave = (total + 5) / 10;
	active = xcalloc((size_t)c->nstores, sizeof(*active));
	for (i = 0; i < c->nstores; i++)
		active[i] = c->stores[i].nstaff;
	for (tries = 0; nleave > 0 && tries < 20 * total; tries++) {
		struct staff *sf = &c->staff[rng_below(&r, (uint32_t)total)];

		if (sf->leave != DAY_NONE || active[sf->store] <= 2)
			continue;
		sf->leave = c->o->start - 180 + (int32_t)rng_below(&r,
		    (uint32_t)(c->o->end - 7 - (c->o->start - 180) + 1));
		active[sf->store]--;
		nleave--;
	}
	free(active);
	buf_adds(roster, "导购编号,姓名,门店,状态,离职日期\n");
	for (k = 0; k < n; k++) {
		struct staff *sf = &c->staff[k];

		buf_reset(&name);
		name_make(&rn, rng_pm(&rn, 850), &name);
		buf_printf(roster, "%s,%s,%s,%s,", sf->id, name.p,
		    c->stores[sf->store].id,
		    sf->leave == DAY_NONE ? "在职" : "离职");
		if (sf->leave != DAY_NONE) {
			date_fmt(sf->leave, date);
			buf_adds(roster, date);
		}
		buf_addc(roster, '\n');
	}
	buf_free(&name);
}

/*
 * A mobile number for member i: a prefix in use and eight digits from a
 * four-round Feistel permutation of i, so that no two members share one.
 */
static uint64_t
phone_of(uint64_t seed, int64_t i)
{
	uint32_t l = (uint32_t)(i / 10000), r = (uint32_t)(i % 10000), t;
	int k;

	for (k = 0; k < 4; k++) {
		t = r;
		r = (uint32_t)((l + hash3(seed, 100 + (uint64_t)k, r) % 10000) %
		    10000);
		l = t;
	}
	return (uint64_t)mobile[hash3(seed, 99, (uint64_t)i) % NELEM(mobile)] *
	    100000000 + (uint64_t)l * 10000 + r;
}

/*
 * Before the window: purchases from the join date on, at the member's
 * rate, with the chance to drop out after each repeat purchase.  Sets
 * whether the member is still active when the window opens, and the last
 * purchase.
 */
static void
prehistory(struct ctx *c, struct rng *r, struct member *m)
{
	uint64_t t = 0, span = (uint64_t)(c->o->start - m->join) << 32;
	int n;

	m->alive = 1;
	m->last = m->join;
	for (n = 0; n < 100000; n++) {
		t += fx_neglog(rng_u32(r)) * 1000000 / m->lam;
		if (t >= span)
			break;
		m->last = m->join + (int32_t)(t >> 32);
		if (rng_u32(r) < m->drop) {
			m->alive = 0;
			break;
		}
	}
}

/* Ages of members, in bands with their shares (percent). */
static const struct {
	int	lo, hi, pct;
} ages[] = {
	{ 18, 24, 15 }, { 25, 34, 38 }, { 35, 44, 27 }, { 45, 54, 14 },
	{ 55, 70, 6 }
};

/*
 * Make the members; with write set, write members.csv to the open sink
 * as they are made.
 */
static int
members_make(struct ctx *c, int write, struct cv_error *e)
{
	struct rng r, rn;
	struct buf name = BUF_INIT;
	int64_t i;
	int32_t days = c->ndays;
	unsigned newpm = (unsigned)((int64_t)days * 1000 / (days + 730));
	char *p, date[11];
	int k;

	rng_seed(&r, c->o->seed, STREAM_MEMBERS);
	rng_seed(&rn, c->o->seed, STREAM_MNAMES);
	c->nm = c->o->nmembers;
	c->m = xcalloc((size_t)c->nm, sizeof(*c->m));
	if (write) {
		p = row_start(c);
		p = w_str(p, "会员卡号,姓名,手机,性别,生日,入会日期,开卡门店,"
		    "专属导购,会员等级,客户类型,拒绝联系\n");
		if (row_end(c, p, e) < 0)
			return -1;
	}
	for (i = 0; i < c->nm; i++) {
		struct member *m = &c->m[i];
		const struct store *hs;
		unsigned u = rng_below(&r, 10000), gender, age = 0;
		int32_t birth = DAY_NONE;
		uint64_t phone = phone_of(c->o->seed, i), value;
		int nophone = 0;

		m->type = u < 30 ? T_DEALER : u < 50 ? T_GROUP : T_RETAIL;
		m->home = (uint16_t)store_pick(c, &r, m->type != T_RETAIL ||
		    c->web < 0);
		hs = &c->stores[m->home];
		if (m->type == T_RETAIL && rng_pm(&r, newpm))
			m->join = c->o->start + (int32_t)rng_below(&r,
			    (uint32_t)days);
		else
			m->join = c->o->start - 1 - (int32_t)rng_below(&r,
			    1460);
		switch (m->type) {
		case T_DEALER:
			m->lam = 30000 + rng_below(&r, 50000);
			m->drop = UINT32_MAX / 200;
			m->spend = 300;
			break;
		case T_GROUP:
			m->lam = 3000 + rng_below(&r, 3000);
			m->drop = UINT32_MAX / 10;
			m->spend = 200;
			break;
		default:
			/* Rate: gamma, shape 0.9, mean 14000 per million days. */
			m->lam = (uint32_t)((fx_gamma(&r, 900) * 15556) >> 32);
			if (m->lam < 20)
				m->lam = 20;
			if (m->lam > 300000)
				m->lam = 300000;
			/* Drop-out: beta(0.8, 4), mean 1/6. */
			m->drop = fx_beta(&r, 800, 4000);
			/* Spend: gamma, shape 3, mean 330 yuan an item. */
			value = (fx_gamma(&r, 3000) * 110) >> 32;
			m->spend = (uint16_t)(value < 59 ? 59 : value > 3999 ?
			    3999 : value);
			break;
		}
		if (hs->web)
			m->online = 950;
		else if (c->web >= 0 && m->type == T_RETAIL && rng_pm(&r, 150))
			m->online = 250;
		gender = m->type != T_RETAIL ? 2 : rng_pm(&r, 780) ? 0 :
		    rng_pm(&r, 900) ? 1 : 2;
		if (m->type == T_RETAIL) {
			u = rng_below(&r, 1000);
			if (u >= 125) {
				unsigned pct = rng_below(&r, 100);

				for (k = 0; pct >= (unsigned)ages[k].pct; k++)
					pct -= (unsigned)ages[k].pct;
				age = (unsigned)ages[k].lo + rng_below(&r,
				    (uint32_t)(ages[k].hi - ages[k].lo + 1));
				birth = day_from_civil(c->endyear - (int)age,
				    1, 1) + (int32_t)rng_below(&r, 365);
			} else if (u >= 120)
				/* What some POS systems store for "unknown". */
				birth = day_from_civil(1900, 1, 1);
		}
		if (birth != DAY_NONE && age > 0) {
			int32_t sixteen;
			int by, bm, bd;

			civil_from_day(birth, &by, &bm, &bd);
			m->bmd = (uint16_t)(bm * 100 + bd);
			/* Nobody joins before sixteen (a 29 February that
			 * year lacks comes out as 1 March). */
			sixteen = day_from_civil(by + 16, bm, bd);
			if (m->join < sixteen)
				m->join = sixteen;
		}
		m->staff = staff_at(c, &r, m->home, m->join);
		u = rng_below(&r, 1000);
		m->optout = u < 50 ? OPT_YES : u < 550 ? OPT_EMPTY : OPT_NO;
		switch (hs->scheme) {
		case ID_VIP:
			idfmt(m->id, sizeof(m->id), "VIP", (uint64_t)(10000 + i),
			    7);
			nophone = rng_pm(&r, 30);
			break;
		case ID_CARD:
			idfmt(m->id, sizeof(m->id), "", (uint64_t)(10000 + i), 1);
			nophone = rng_pm(&r, 30);
			break;
		default:
			idfmt(m->id, sizeof(m->id), "", phone, 1);
			break;
		}
		m->last = DAY_NONE;
		m->alive = 1;
		if (m->join < c->o->start)
			prehistory(c, &r, m);
		/* Tier: expected yearly spend, as the CRM rules saw it. */
		value = (uint64_t)m->lam * 365 * m->spend * 2 / 1000000;
		value = value * (60 + rng_below(&r, 81)) / 100;
		if (c->o->start - m->join < 365)
			value /= 2;
		m->tier = m->type == T_DEALER ? (rng_pm(&r, 500) ?
		    TIER_DIAMOND : TIER_GOLD) : m->type == T_GROUP ?
		    TIER_SILVER : m->join >= c->o->start ? TIER_NORMAL :
		    value >= 12000 ? TIER_DIAMOND : value >= 6000 ? TIER_GOLD :
		    value >= 2500 ? TIER_SILVER : TIER_NORMAL;
		m->rc_day = DAY_NONE;
		m->lday = DAY_NONE;
		m->lsku = -1;
		if (!write)
			continue;
		/* The profile row.  Names come from a stream of their own. */
		buf_reset(&name);
		if (m->type == T_RETAIL) {
			if (!rng_pm(&rn, 20))
				name_make(&rn, gender != 1, &name);
		} else {
			buf_adds(&name, cityname[hs->city]);
			buf_adds(&name, firms[rng_below(&rn, NELEM(firms))]);
			buf_adds(&name, m->type == T_DEALER ?
			    dealerkind[rng_below(&rn, NELEM(dealerkind))] :
			    groupkind[rng_below(&rn, NELEM(groupkind))]);
		}
		p = row_start(c);
		p = w_str(p, m->id);
		*p++ = ',';
		p = w_str(p, name.p != NULL ? name.p : "");
		*p++ = ',';
		if (!nophone)
			p = w_uint(p, phone);
		*p++ = ',';
		p = w_str(p, gender == 0 ? "女" : gender == 1 ? "男" : "");
		*p++ = ',';
		if (birth != DAY_NONE) {
			date_fmt(birth, date);
			p = w_mem(p, date, 10);
		}
		*p++ = ',';
		date_fmt(m->join, date);
		p = w_mem(p, date, 10);
		*p++ = ',';
		p = w_str(p, hs->id);
		*p++ = ',';
		if (m->staff >= 0)
			p = w_str(p, c->staff[m->staff].id);
		*p++ = ',';
		p = w_str(p, tiername[m->tier]);
		*p++ = ',';
		p = w_str(p, typenames[m->type]);
		*p++ = ',';
		p = w_str(p, optname[m->optout]);
		*p++ = '\n';
		if (row_end(c, p, e) < 0) {
			buf_free(&name);
			return -1;
		}
	}
	buf_free(&name);
	return 0;
}

/*
 * Receipts.  The day's receipts live in c->rc; lines are kept inline, at
 * most MAXLINES to a receipt.
 */
static struct rcpt *
rc_new(struct ctx *c, int store, int32_t member, int32_t staff)
{
	struct rcpt *rc = vec_add(&c->rc, sizeof(*rc));
	const unsigned char *h = c->stores[store].web ? hour_web : hour_store;
	unsigned total = 0, u;
	int i;

	for (i = 0; i < 24; i++)
		total += h[i];
	u = rng_below(&c->sim, total);
	for (i = 0; u >= h[i]; i++)
		u -= h[i];
	/* Double 11 starts at midnight. */
	if (c->stores[store].web && c->mo == 11 && c->dd == 11 &&
	    rng_pm(&c->sim, 300))
		i = 0;
	rc->secs = i * 3600 + (int32_t)rng_below(&c->sim, 3600);
	rc->member = member;
	rc->staff = staff;
	rc->store = store;
	rc->nlines = 0;
	return rc;
}

static void
line_add(struct ctx *c, struct rcpt *rc, int32_t sku, int32_t qty,
    int32_t pm)
{
	struct line *l;

	if (rc->nlines == MAXLINES)
		return;
	l = &rc->l[rc->nlines++];
	l->sku = sku;
	l->qty = qty;
	l->pm = pm;
	/* Excel shows about one member id in 2,000 in a mangled form. */
	l->mangle = rc->member >= 0 && rng_below(&c->sim, 2000) == 0;
	l->amount = num_round_shift((int64_t)qty * c->skus[sku].unit * pm, 3);
}

static void
ret_schedule(struct ctx *c, int32_t mi, int store, int32_t sku,
    int32_t qty, int32_t pm)
{
	int32_t delay, due;
	struct ret *rt;

	/* Most returns come back within the week, none after 30 days. */
	delay = rng_pm(&c->sim, 700) ? 1 + (int32_t)rng_below(&c->sim, 7) :
	    8 + (int32_t)rng_below(&c->sim, 23);
	due = c->day + delay;
	if (due > c->o->end)
		return;
	rt = vec_add(&c->rets[due & 31], sizeof(*rt));
	rt->member = mi;
	rt->sku = sku;
	rt->qty = qty > 1 && rng_pm(&c->sim, 800) ? 1 : qty;
	rt->pm = pm;
	rt->store = store;
}

/*
 * Fill a receipt with what the member (NULL: a walk-in) buys.  Item
 * prices vary around the member's typical price; the event discount and
 * the tier discount multiply; last year's lines sell at clearance.
 * Returns are scheduled when sched is set.
 */
static void
buy(struct ctx *c, struct rcpt *rc, struct member *m, int32_t mi,
    int sched)
{
	const struct store *st = &c->stores[rc->store];
	unsigned ev = st->web ? c->dweb : c->dstore, tpm, u;
	int n, i, cat;
	int32_t sku, qty, pm;
	uint32_t spend, target;

	if (ev < 1000 && rng_pm(&c->sim, 150))
		ev = 1000;		/* no coupon with them */
	tpm = m != NULL ? tierpm[m->tier] : 1000;
	u = rng_below(&c->sim, 100);
	if (m != NULL && m->type == T_DEALER) {
		n = 2 + (int)rng_below(&c->sim, 5);
		for (i = 0; i < n; i++) {
			sku = sku_pick(c, cat_pick(c), 300);
			qty = 10 + 5 * (int32_t)rng_below(&c->sim, 11);
			pm = 550 + 10 * (int32_t)rng_below(&c->sim, 11);
			line_add(c, rc, sku, qty, pm);
		}
		return;
	}
	if (m != NULL && m->type == T_GROUP) {
		/* Uniforms: one style, in a few sizes. */
		static const int ucat[] = { 0, 1, 7, 8 };

		cat = ucat[rng_below(&c->sim, 4)];
		target = 200 + rng_below(&c->sim, 400);
		sku = sku_pick(c, cat, target);
		n = 1 + (int)rng_below(&c->sim, 3);
		pm = 700 + 50 * (int32_t)rng_below(&c->sim, 2);
		for (i = 0; i < n; i++)
			line_add(c, rc, sku, 10 * (2 + (int32_t)rng_below(&c->sim,
			    10)), pm);
		return;
	}
	if (m != NULL)
		n = u < 45 ? 1 : u < 73 ? 2 : u < 88 ? 3 : u < 96 ? 4 : 5;
	else
		n = u < 60 ? 1 : u < 90 ? 2 : 3;
	spend = m != NULL ? m->spend :
	    (uint32_t)((fx_gamma(&c->sim, 3000) * 110) >> 32);
	for (i = 0; i < n; i++) {
		cat = cat_pick(c);
		target = (uint32_t)(((uint64_t)spend *
		    c->spendq[rng_below(&c->sim, NELEM(c->spendq))]) >> 10);
		sku = sku_pick(c, cat, target);
		u = rng_below(&c->sim, 100);
		qty = u < 88 ? 1 : u < 97 ? 2 : 3;
		if (c->skus[sku].old)
			pm = 500 + 100 * (sku % 3);	/* its markdown */
		else
			pm = (int32_t)((ev * tpm + 500) / 1000);
		line_add(c, rc, sku, qty, pm);
		if (sched && m != NULL && rng_pm(&c->sim, 42))
			ret_schedule(c, mi, rc->store, sku, qty, pm);
	}
}

/*
 * A member's visit: where (home store mostly, the web shop as often as
 * the member likes it, another store now and then), with whom (the
 * assigned assistant when at work), and what is bought.  who >= 0 is the
 * assistant whose contact brought the member in.
 */
/*
 * Whether today's visit is to the web shop: the member's online share,
 * weighed by today's traffic online and in the shops (Double 11 pulls
 * people online, Spring Festival sends them to the shops).
 */
static int
goes_online(struct ctx *c, const struct member *m)
{
	uint64_t on = (uint64_t)m->online * c->fweb;
	uint64_t off = (uint64_t)(1000 - m->online) * c->fstore;

	if (c->web < 0 || m->online == 0)
		return 0;
	return (uint64_t)rng_below(&c->sim, 1u << 30) * (on + off) < on << 30;
}

/*
 * A member's visit: with who, the assistant who brought it about; with
 * join, the first purchase, at the store where the card is made, with the
 * member's own assistant.
 */
static void
visit(struct ctx *c, int32_t mi, int32_t who, int join)
{
	struct member *m = &c->m[mi];
	struct rcpt *rc;
	int store;
	int32_t staff = -1;

	if (join)
		store = m->home;
	else if (who >= 0)
		store = c->staff[who].store;
	else if (goes_online(c, m))
		store = c->web;
	else {
		store = m->home;
		if (c->stores[store].web || !rng_pm(&c->sim, 880))
			store = store_pick(c, &c->sim, 1);
	}
	if (!c->stores[store].web) {
		if (who >= 0 && staff_active(c, who, c->day))
			staff = who;
		else if (store == m->home && m->staff >= 0 &&
		    staff_active(c, m->staff, c->day) &&
		    (join || rng_pm(&c->sim, 850)))
			staff = m->staff;
		else
			staff = staff_any(c, store, c->day);
	}
	rc = rc_new(c, store, mi, staff);
	buy(c, rc, m, mi, !c->single);
	m->rc_day = c->day;
	m->rc_idx = (int32_t)(c->rc.n - 1);
	/* Drop-out comes after repeat purchases only, as in BG/NBD. */
	if (m->last != DAY_NONE && rng_u32(&c->sim) < m->drop)
		m->alive = 0;
	m->last = c->day;
}

/* The notes an assistant types, by outcome. */
enum { O_VISIT, O_BUY, O_NOANSWER, O_REFUSE, O_PENDING, O_SENT };
static const char *const outcomes[] = {
	"已到店", "已购买", "未接通", "拒绝", "待跟进", "已发送"
};
static const char *const notes[][5] = {
	{ "到店试穿,未购买", "说尺码不合适", "陪朋友来看看", "", "" },
	{ "试穿后购买", "买了两件,很满意", "用了生日券", "已发优惠券,满500减50",
	  "" },
	{ "无人接听", "关机", "", "", "" },
	{ "不需要", "要求不再联系", "说\"别再打了\"", "", "" },
	{ "下周再联系", "客户在外地,回来再说", "考虑中",
	  "对\"轻奢\"系列感兴趣", "" },
	{ "", "", "", "", "" }
};
enum { CH_PHONE, CH_SMS, CH_WECHAT };
static const char *const channels[] = { "电话", "短信", "微信" };
enum { C_BIRTHDAY, C_FOLLOWUP, C_WAKEUP, C_SPRING, C_NEW, C_D11, C_618 };
static const char *const campaigns[] = {
	"生日关怀", "回访", "沉睡唤醒", "春节回馈", "新品到店", "双11预热",
	"618预热"
};

/*
 * The contacts made today for member mi, if any.  Assistants call their
 * own customers; a customer whose assistant has left is rarely called.
 * A contact that worked shows in the sales: a purchase within the week
 * ("已购买"), or a higher purchase rate for a while.
 */
static void
contact(struct ctx *c, int32_t mi)
{
	struct member *m = &c->m[mi];
	int camp = -1, ch, out;
	int32_t who, k;
	unsigned u;
	char *p, date[11];
	const char *note;

	if (m->optout == OPT_YES || m->staff < 0)
		return;
	who = m->staff;
	if (m->bmd == c->bday_md && m->bmd != 0)
		camp = C_BIRTHDAY;
	else if (m->last != DAY_NONE && m->last == c->day - 10 &&
	    rng_pm(&c->sim, 400))
		camp = C_FOLLOWUP;
	else if (m->tier >= TIER_GOLD && m->last != DAY_NONE &&
	    m->last == c->day - 45 && rng_pm(&c->sim, 600))
		camp = C_WAKEUP;
	else if (c->sfgift && (m->tier >= TIER_GOLD || m->type == T_DEALER))
		camp = C_SPRING;
	else if (c->newarrival && m->tier >= TIER_SILVER &&
	    rng_pm(&c->sim, 150))
		camp = C_NEW;
	else if (c->d11 && m->tier >= TIER_SILVER && rng_pm(&c->sim, 500))
		camp = C_D11;
	else if (c->p618 && m->tier >= TIER_SILVER && rng_pm(&c->sim, 500))
		camp = C_618;
	if (camp < 0)
		return;
	if (!staff_active(c, who, c->day)) {
		/* Now and then the store sends the birthday message anyway. */
		if (camp != C_BIRTHDAY || !rng_pm(&c->sim, 300))
			return;
		if ((who = staff_any(c, m->home, c->day)) < 0)
			return;
	}
	switch (camp) {
	case C_BIRTHDAY:
		ch = m->tier >= TIER_GOLD ? CH_PHONE : rng_pm(&c->sim, 700) ?
		    CH_SMS : CH_WECHAT;
		break;
	case C_FOLLOWUP:
		ch = rng_pm(&c->sim, 600) ? CH_WECHAT : CH_PHONE;
		break;
	case C_NEW:
		ch = CH_WECHAT;
		break;
	case C_D11:
	case C_618:
		ch = CH_SMS;
		break;
	default:
		ch = CH_PHONE;
		break;
	}
	u = rng_below(&c->sim, 1000);
	if (ch == CH_PHONE)
		out = u < 220 ? O_NOANSWER : u < 280 ? O_REFUSE :
		    rng_pm(&c->sim, m->alive ? 300 : 60) ? O_BUY :
		    rng_pm(&c->sim, m->alive ? 150 : 50) ? O_VISIT : O_PENDING;
	else if (ch == CH_SMS)
		out = u < (m->alive ? 80u : 15u) ? O_BUY : u < 110 ? O_VISIT :
		    O_SENT;
	else
		out = u < 20 ? O_REFUSE : u < (m->alive ? 220u : 60u) ? O_BUY :
		    u < 320 ? O_VISIT : O_PENDING;
	switch (out) {
	case O_BUY:
		k = 1 + (int32_t)rng_below(&c->sim, 6);
		if (c->day + k > c->o->end) {
			/* Not known yet when the log was taken. */
			out = O_PENDING;
			break;
		} else {
			struct promise *pr = vec_add(&c->promises[(c->day + k) &
			    7], sizeof(*pr));

			pr->member = mi;
			pr->staff = who;
		}
		break;
	case O_VISIT:
		m->alive = 1;
		m->boost_until = c->day + 14;
		m->boost = 180;
		break;
	case O_PENDING:
	case O_SENT:
		m->boost_until = c->day + 10;
		m->boost = 130;
		break;
	}
	note = notes[out][rng_below(&c->sim, 5)];
	if (c->contacts.cap - c->contacts.len < 512)
		buf_grow(&c->contacts, 4096);
	p = c->contacts.p + c->contacts.len;
	date_fmt(c->day, date);
	p = w_mem(p, date, 10);
	*p++ = ',';
	p = w_str(p, m->id);
	*p++ = ',';
	p = w_str(p, c->staff[who].id);
	*p++ = ',';
	p = w_str(p, channels[ch]);
	*p++ = ',';
	p = w_str(p, campaigns[camp]);
	*p++ = ',';
	p = w_str(p, outcomes[out]);
	*p++ = ',';
	p = w_csv(p, note, ',');
	*p++ = '\n';
	c->contacts.len = (size_t)(p - c->contacts.p);
	c->contacts.p[c->contacts.len] = '\0';
	c->ncontacts++;
}

/* Returns falling due today: on today's receipt, an exchange, or alone. */
static void
returns_due(struct ctx *c)
{
	struct vec *v = &c->rets[c->day & 31];
	struct rcpt *rc;
	struct ret *rt;
	struct member *m;
	size_t i;
	int32_t staff;

	for (i = 0; i < v->n; i++) {
		rt = (struct ret *)v->p + i;
		m = &c->m[rt->member];
		rc = m->rc_day == c->day ? (struct rcpt *)c->rc.p + m->rc_idx :
		    NULL;
		if (rc != NULL && rc->store == rt->store &&
		    rc->nlines < MAXLINES) {
			line_add(c, rc, rt->sku, -rt->qty, rt->pm);
			continue;
		}
		staff = -1;
		if (!c->stores[rt->store].web)
			staff = rt->store == m->home && m->staff >= 0 &&
			    staff_active(c, m->staff, c->day) ? m->staff :
			    staff_any(c, rt->store, c->day);
		rc = rc_new(c, rt->store, rt->member, staff);
		line_add(c, rc, rt->sku, -rt->qty, rt->pm);
		if (!c->stores[rt->store].web && rng_pm(&c->sim, 600)) {
			/* An exchange: another style at about the same price. */
			const struct sku *s = &c->skus[rt->sku];

			line_add(c, rc, sku_pick(c, s->cat, (uint32_t)s->price),
			    1, rt->pm);
		}
	}
	v->n = 0;
}

/*
 * Walk-ins: a Poisson number of receipts, WALK_PCT for every hundred
 * member receipts the store expects today, so that about a third of all
 * receipts have no member, as at a real till, whatever the season.
 */
static void
walkins(struct ctx *c, int store)
{
	const struct store *st = &c->stores[store];
	uint64_t lim = st->expect / 100 * WALK_PCT, t = 0, floor;
	struct rcpt *rc;

	if (st->web)
		return;
	/* Even a store with few members sees a walk-in every other day. */
	floor = (FX_ONE / 200) * c->fstore;
	if (lim < floor)
		lim = floor;
	for (;;) {
		t += fx_neglog(rng_u32(&c->sim));
		if (t > lim)
			break;
		rc = rc_new(c, store, -1, staff_any(c, store, c->day));
		if (rng_pm(&c->sim, 12)) {
			/* A return without a member card: no history. */
			int32_t sku = sku_pick(c, cat_pick(c), 300);

			line_add(c, rc, sku, -1, (int32_t)c->dstore);
		} else
			buy(c, rc, NULL, -1, 0);
	}
}

/*
 * Writing one receipt in a store's format.  no is the receipt's number
 * in the store's day, in time order.
 */
static const char *const headers[SYNTH_NSTYLES] = {
	"单号,行号,销售时间,会员卡号,门店,导购,款号,数量,单价,实收金额\n",
	"小票号,销售日期,VIP卡号,店铺,营业员,商品编码,数量,成交金额\n",
	"\xef\xbb\xbfReceipt No,Line,Date,Member ID,Store,Staff,SKU,"
	    "Description,Qty,Unit Price,Amount\r\n",
	"门店销售明细表\n",
	"order_id;line;order_time;customer_id;store;staff;channel;sku;qty;"
	    "amount\n"
};

/*
 * The member id as Excel shows it now and then: a long number in a narrow
 * column as 1.38001E+10 (six significant digits, which cannot be undone),
 * a short one as 17850.0.  Ids with letters are left alone.
 */
static char *
w_excel_id(char *p, const char *id)
{
	size_t n = strlen(id), i, k;
	uint64_t v = 0, div = 1;
	char t[8];

	for (i = 0; i < n; i++)
		if (id[i] < '0' || id[i] > '9')
			return w_str(p, id);
	if (n < 11)
		return w_str(w_str(p, id), ".0");
	for (i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(id[i] - '0');
	for (i = 0; i < n - 6; i++)
		div *= 10;
	v = (v + div / 2) / div;
	if (v >= 1000000) {
		v /= 10;
		n++;
	}
	w_zero(t, v, 6);
	for (k = 6; k > 1 && t[k - 1] == '0'; k--)
		;
	*p++ = t[0];
	if (k > 1) {
		*p++ = '.';
		p = w_mem(p, t + 1, k - 1);
	}
	p = w_str(p, "E+");
	return w_uint(p, (uint64_t)(n - 1));
}

struct totals {
	int64_t	 qty;
	int64_t	 amount;
};

static int
emit_rcpt(struct ctx *c, const struct store *st, int style,
    const struct rcpt *rc, unsigned no, struct totals *tot,
    struct cv_error *e)
{
	const struct member *m = rc->member >= 0 ? &c->m[rc->member] : NULL;
	const char *staff = rc->staff >= 0 ? c->staff[rc->staff].id : "";
	char rid[40], ts[40], *q, *p;
	int hh = rc->secs / 3600, mi = rc->secs / 60 % 60, ss = rc->secs % 60;
	int i;

	/* Receipt number and time, once per receipt. */
	q = rid;
	switch (style) {
	case SYNTH_CNUTF8:
		q = w_str(q, st->id);
		q = w_2(q, c->y % 100);
		q = w_2(q, c->mo);
		q = w_2(q, c->dd);
		q = w_zero(q, no, 4);
		break;
	case SYNTH_CNGBK:
		*q++ = 'X';
		q = w_zero(q, (uint64_t)c->y, 4);
		q = w_2(q, c->mo);
		q = w_2(q, c->dd);
		q = w_zero(q, (uint64_t)st->num, 3);
		q = w_zero(q, no, 4);
		break;
	case SYNTH_EXCEL:
		q = w_str(q, st->id);
		*q++ = '-';
		q = w_zero(q, (uint64_t)c->y, 4);
		q = w_2(q, c->mo);
		q = w_2(q, c->dd);
		*q++ = '-';
		q = w_zero(q, no, 4);
		break;
	case SYNTH_REPORT:
		q = w_2(q, c->y % 100);
		q = w_2(q, c->mo);
		q = w_2(q, c->dd);
		q = w_zero(q, (uint64_t)st->num, 3);
		q = w_zero(q, no, 5);
		break;
	default:
		q = w_zero(q, (uint64_t)c->y, 4);
		q = w_2(q, c->mo);
		q = w_2(q, c->dd);
		q = w_zero(q, (uint64_t)st->num, 3);
		q = w_zero(q, no, 6);
		break;
	}
	*q = '\0';
	q = ts;
	switch (style) {
	case SYNTH_CNUTF8:
	case SYNTH_ONLINE:
		q = w_zero(q, (uint64_t)c->y, 4);
		*q++ = '-';
		q = w_2(q, c->mo);
		*q++ = '-';
		q = w_2(q, c->dd);
		*q++ = style == SYNTH_ONLINE ? 'T' : ' ';
		q = w_2(q, hh);
		*q++ = ':';
		q = w_2(q, mi);
		*q++ = ':';
		q = w_2(q, ss);
		break;
	case SYNTH_CNGBK:
		q = w_zero(q, (uint64_t)c->y, 4);
		*q++ = '/';
		q = w_2(q, c->mo);
		*q++ = '/';
		q = w_2(q, c->dd);
		*q++ = ' ';
		q = w_2(q, hh);
		*q++ = ':';
		q = w_2(q, mi);
		break;
	case SYNTH_EXCEL:
		/* Excel's zh-CN default, yyyy/m/d h:mm, pads nothing. */
		q = w_zero(q, (uint64_t)c->y, 4);
		*q++ = '/';
		q = w_uint(q, (uint64_t)c->mo);
		*q++ = '/';
		q = w_uint(q, (uint64_t)c->dd);
		*q++ = ' ';
		q = w_uint(q, (uint64_t)hh);
		*q++ = ':';
		q = w_2(q, mi);
		break;
	default:
		q = w_zero(q, (uint64_t)c->y, 4);
		q = w_str(q, "年");
		q = w_uint(q, (uint64_t)c->mo);
		q = w_str(q, "月");
		q = w_uint(q, (uint64_t)c->dd);
		q = w_str(q, "日 ");
		q = w_2(q, hh);
		*q++ = ':';
		q = w_2(q, mi);
		break;
	}
	*q = '\0';
	for (i = 0; i < rc->nlines; i++) {
		const struct line *l = &rc->l[i];
		const struct sku *s = &c->skus[l->sku];

		p = row_start(c);
		switch (style) {
		case SYNTH_CNUTF8:
			p = w_str(p, rid);
			*p++ = ',';
			p = w_uint(p, (uint64_t)i + 1);
			*p++ = ',';
			p = w_str(p, ts);
			*p++ = ',';
			if (m != NULL)
				p = w_str(p, m->id);
			*p++ = ',';
			p = w_str(p, st->id);
			*p++ = ',';
			p = w_str(p, staff);
			*p++ = ',';
			p = w_str(p, s->code);
			*p++ = ',';
			p = w_int(p, l->qty);
			*p++ = ',';
			p = w_money(p, s->unit);
			*p++ = ',';
			p = w_money(p, l->amount);
			*p++ = '\n';
			break;
		case SYNTH_CNGBK:
			p = w_str(p, rid);
			*p++ = ',';
			p = w_str(p, ts);
			*p++ = ',';
			p = w_str(p, m != NULL ? m->id : "散客");
			*p++ = ',';
			p = w_str(p, st->id);
			*p++ = ',';
			p = w_str(p, staff);
			*p++ = ',';
			p = w_str(p, s->code);
			*p++ = ',';
			p = w_int(p, l->qty);
			*p++ = ',';
			p = w_money(p, l->amount);
			*p++ = '\n';
			break;
		case SYNTH_EXCEL:
			p = w_str(p, rid);
			*p++ = ',';
			p = w_uint(p, (uint64_t)i + 1);
			*p++ = ',';
			p = w_str(p, ts);
			*p++ = ',';
			if (m == NULL)
				*p++ = '0';
			else if (l->mangle)
				p = w_excel_id(p, m->id);
			else
				p = w_str(p, m->id);
			*p++ = ',';
			p = w_str(p, st->id);
			*p++ = ',';
			p = w_str(p, staff);
			*p++ = ',';
			p = w_str(p, s->code);
			*p++ = ',';
			p = w_csv(p, c->pool.p + s->desc, ',');
			*p++ = ',';
			p = w_int(p, l->qty);
			*p++ = ',';
			p = w_yen(p, s->unit);
			*p++ = ',';
			p = w_yen(p, l->amount);
			*p++ = '\r';
			*p++ = '\n';
			break;
		case SYNTH_REPORT:
			p = w_str(p, ts);
			*p++ = ',';
			p = w_str(p, rid);
			*p++ = ',';
			p = w_str(p, st->id);
			*p++ = ',';
			if (m != NULL)
				p = w_str(p, m->id);
			*p++ = ',';
			p = w_str(p, staff);
			*p++ = ',';
			p = w_str(p, s->code);
			*p++ = ',';
			p = w_int(p, l->qty);
			*p++ = ',';
			p = w_money(p, l->amount);
			*p++ = '\n';
			break;
		default:
			p = w_str(p, rid);
			*p++ = ';';
			p = w_uint(p, (uint64_t)i + 1);
			*p++ = ';';
			p = w_str(p, ts);
			*p++ = ';';
			if (m != NULL)
				p = w_str(p, m->id);
			*p++ = ';';
			p = w_str(p, st->id);
			*p++ = ';';
			p = w_str(p, staff);
			*p++ = ';';
			p = w_str(p, st->web ? "online" : "store");
			*p++ = ';';
			p = w_str(p, s->code);
			*p++ = ';';
			p = w_int(p, l->qty);
			*p++ = ';';
			p = w_money(p, l->amount);
			*p++ = '\n';
			break;
		}
		tot->qty += l->qty;
		tot->amount += l->amount;
		c->st->lines++;
		if (row_end(c, p, e) < 0)
			return -1;
	}
	return 0;
}

/* The lines before the first receipt; for a report, its title block. */
static int
emit_head(struct ctx *c, int style, int32_t exported, struct cv_error *e)
{
	char *p = row_start(c), ts[20];

	p = w_str(p, headers[style]);
	if (style == SYNTH_REPORT) {
		ts_fmt((int64_t)exported * SECS_PER_DAY + 6 * 3600, ts);
		ts[10] = ' ';
		p = w_str(p, "导出时间: ");
		p = w_str(p, ts);
		p = w_str(p, "\n\n销售日期,单号,门店编码,会员号,导购员,款号,"
		    "数量,金额\n");
	}
	return row_end(c, p, e);
}

static int
emit_tail(struct ctx *c, int style, const struct totals *tot,
    struct cv_error *e)
{
	char *p = row_start(c);

	if (style != SYNTH_REPORT)
		return 0;
	p = w_str(p, "合计,,,,,,");
	p = w_int(p, tot->qty);
	*p++ = ',';
	p = w_money(p, tot->amount);
	*p++ = '\n';
	return row_end(c, p, e);
}

static int
keycmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort receipts [0, n) of today by store, then time, then making order. */
static uint64_t *
sort_receipts(struct ctx *c, int bystore)
{
	const struct rcpt *rc = c->rc.p;
	uint64_t *k;
	size_t i;

	c->keys.n = 0;
	for (i = 0; i < c->rc.n; i++) {
		k = vec_add(&c->keys, sizeof(*k));
		*k = (bystore ? (uint64_t)rc[i].store << 49 : 0) |
		    (uint64_t)rc[i].secs << 32 | i;
	}
	if (c->keys.n > 1)
		qsort(c->keys.p, c->keys.n, sizeof(uint64_t), keycmp);
	return c->keys.p;
}

static void
pos_path(struct ctx *c, const char *dir, const struct store *st)
{
	char date[11];

	date_fmt(c->day, date);
	buf_reset(&c->path);
	buf_printf(&c->path, "%s/pos/%s/%s.csv%s", dir, date, st->id,
	    c->o->gzip ? ".gz" : "");
}

/* Write today's POS dump of every store. */
static int
write_day(struct ctx *c, const char *dir, struct cv_error *e)
{
	const uint64_t *k = sort_receipts(c, 1);
	const struct rcpt *rc = c->rc.p;
	size_t i = 0, n = c->rc.n;
	struct totals tot;
	unsigned no;
	int s;

	for (s = 0; s < c->nstores; s++) {
		struct store *st = &c->stores[s];

		pos_path(c, dir, st);
		if (sink_open(c, c->path.p, st->style == SYNTH_CNGBK, 0, e) < 0)
			return -1;
		memset(&tot, 0, sizeof(tot));
		if (emit_head(c, st->style, c->day + 1, e) < 0)
			goto bad;
		for (no = 1; i < n && (int)(k[i] >> 49) == s; i++, no++)
			if (emit_rcpt(c, st, st->style,
			    &rc[k[i] & 0xffffffff], no, &tot, e) < 0)
				goto bad;
		if (emit_tail(c, st->style, &tot, e) < 0)
			goto bad;
		if (sink_close(c, e) < 0)
			return -1;
	}
	return 0;
bad:
	c->open = 0;
	out_abort(&c->out);
	return -1;
}

static void
ctx_init(struct ctx *c, const struct synth_opts *o, struct synth_stats *st)
{
	int m, d;

	memset(c, 0, sizeof(*c));
	memset(st, 0, sizeof(*st));
	c->o = o;
	c->st = st;
	c->cd = (iconv_t)-1;
	c->ndays = o->end - o->start + 1;
	civil_from_day(o->end, &c->endyear, &m, &d);
	rng_seed(&c->sim, o->seed, STREAM_SIM);
	buf_grow(&c->ob, OB_BLOCK + ROW_MAX);
	catalog_make(c);
}

static void
ctx_free(struct ctx *c)
{
	int i;

	if (c->open)
		out_abort(&c->out);
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	free(c->skus);
	free(c->stores);
	free(c->staff);
	free(c->m);
	buf_free(&c->pool);
	buf_free(&c->contacts);
	buf_free(&c->ob);
	buf_free(&c->path);
	vec_free(&c->rc);
	vec_free(&c->keys);
	for (i = 0; i < 32; i++)
		vec_free(&c->rets[i]);
	for (i = 0; i < 8; i++)
		vec_free(&c->promises[i]);
}

/* Write a file made in memory (roster, contact log). */
static int
write_small(struct ctx *c, const char *dir, const char *name,
    const struct buf *b, struct cv_error *e)
{
	buf_reset(&c->path);
	buf_printf(&c->path, "%s/%s", dir, name);
	if (sink_open(c, c->path.p, 0, 0, e) < 0)
		return -1;
	out_write(&c->out, b->p, b->len);
	return sink_close(c, e);
}

int
synth_tree(const struct synth_opts *o, const char *dir,
    struct synth_stats *st, struct cv_error *e)
{
	struct ctx c;
	struct buf roster = BUF_INIT;
	struct vec *pv;
	int32_t d;
	int64_t i;
	size_t j;
	int r = -1;
	char date[11];

	ctx_init(&c, o, st);
	if (mkdirs(dir, e) < 0)
		goto done;
	buf_printf(&c.path, "%s/pos", dir);
	if (mkdir(c.path.p, 0777) < 0 && errno != EEXIST) {
		cv_fail(e, EX_CANTCREAT, "%s: cannot create folder: %s",
		    c.path.p, strerror(errno));
		goto done;
	}
	stores_make(&c, &roster);
	if (write_small(&c, dir, "staff.csv", &roster, e) < 0)
		goto done;
	buf_reset(&c.path);
	buf_printf(&c.path, "%s/members.csv", dir);
	if (sink_open(&c, c.path.p, 0, 0, e) < 0 ||
	    members_make(&c, 1, e) < 0 || sink_close(&c, e) < 0)
		goto done;
	st->members = (uint64_t)c.nm;
	buf_adds(&c.contacts, "联系日期,会员卡号,导购编号,联系方式,活动,结果,"
	    "备注\n");
	for (d = o->start; d <= o->end; d++) {
		day_setup(&c, d);
		c.rc.n = 0;
		for (j = 0; j < (size_t)c.nstores; j++)
			c.stores[j].expect = 0;
		for (i = 0; i < c.nm; i++) {
			struct member *m = &c.m[i];
			uint64_t p;

			if (m->join > d)
				continue;
			contact(&c, (int32_t)i);
			if (m->join == d) {
				/* Joining is buying: the first purchase. */
				visit(&c, (int32_t)i, -1, 1);
				continue;
			}
			if (!m->alive)
				continue;
			p = ((uint64_t)m->lam << 32) / 1000000;
			p = p * ((uint64_t)c.fstore * (1000 - m->online) +
			    (uint64_t)c.fweb * m->online) / 100000;
			if (m->boost_until >= d && m->boost > 0)
				p = p * m->boost / 100;
			if (p > (UINT64_C(1) << 31))
				p = UINT64_C(1) << 31;
			c.stores[m->home].expect += p / 1000 *
			    (1000 - m->online);
			if (rng_u32(&c.sim) < p)
				visit(&c, (int32_t)i, -1, 0);
		}
		pv = &c.promises[d & 7];
		for (j = 0; j < pv->n; j++) {
			struct promise *pr = (struct promise *)pv->p + j;
			struct member *m = &c.m[pr->member];

			if (m->rc_day == d)
				continue;
			m->alive = 1;
			visit(&c, pr->member, pr->staff, 0);
		}
		pv->n = 0;
		returns_due(&c);
		for (j = 0; j < (size_t)c.nstores; j++)
			walkins(&c, (int)j);
		date_fmt(d, date);
		buf_reset(&c.path);
		buf_printf(&c.path, "%s/pos/%s", dir, date);
		if (mkdir(c.path.p, 0777) < 0 && errno != EEXIST) {
			cv_fail(e, EX_CANTCREAT, "%s: cannot create folder: %s",
			    c.path.p, strerror(errno));
			goto done;
		}
		if (write_day(&c, dir, e) < 0)
			goto done;
		if (o->progress != NULL)
			o->progress(o->progress_arg, (uint64_t)(d - o->start + 1),
			    (uint64_t)c.ndays);
	}
	if (write_small(&c, dir, "contacts.csv", &c.contacts, e) < 0)
		goto done;
	st->contacts = c.ncontacts;
	r = 0;
done:
	buf_free(&roster);
	ctx_free(&c);
	return r;
}

/*
 * One big export for throughput tests.  The day's share of the lines
 * follows the day's traffic; members are drawn by their purchase rate
 * (those who buy often appear often) until they drop out, which each does
 * after a purchase with the member's own chance; a third of receipts, and
 * those that fall to a member who has dropped out or not joined yet, are
 * walk-ins; about 3% of lines are returns: of what the member bought last,
 * on an earlier day within 30 days, at the same store, or a walk-in's.
 */
static int32_t
member_draw(struct ctx *c, const uint64_t *cum)
{
	uint64_t u = rng_next(&c->sim) % cum[c->nm - 1];
	int64_t lo = 0, hi = c->nm - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cum[mid] <= u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int32_t)lo;
}

static void
single_receipt(struct ctx *c, const uint64_t *cum, uint64_t left)
{
	struct rcpt *rc;
	struct member *m;
	int32_t mi;
	int store;

	mi = member_draw(c, cum);
	/*
	 * A walk-in receipt a third of the time, and whenever the member
	 * drawn has dropped out for good (the BG/NBD story the models look
	 * for: a member stops buying after some purchase) or has not joined
	 * yet.
	 */
	if (c->nphys > 0 && (rng_pm(&c->sim, 350) || !c->m[mi].alive ||
	    c->m[mi].join > c->day)) {
		store = store_pick(c, &c->sim, 1);
		rc = rc_new(c, store, -1, staff_any(c, store, c->day));
		if (rng_pm(&c->sim, SINGLE_WALKIN_RETURN_PM))
			line_add(c, rc, sku_pick(c, cat_pick(c), 300), -1,
			    (int32_t)c->dstore);
		else
			buy(c, rc, NULL, -1, 0);
	} else {
		m = &c->m[mi];
		if (m->lsku >= 0 && c->day > m->lday && c->day - m->lday <= 30 &&
		    rng_pm(&c->sim, SINGLE_RETURN_PM)) {
			store = m->lstore;
			rc = rc_new(c, store, mi, c->stores[store].web ? -1 :
			    staff_any(c, store, c->day));
			line_add(c, rc, m->lsku, -1, m->lpm);
			if (!c->stores[store].web && rng_pm(&c->sim, 600))
				line_add(c, rc, sku_pick(c, c->skus[m->lsku].cat,
				    (uint32_t)c->skus[m->lsku].price), 1, m->lpm);
			m->lsku = -1;
		} else {
			visit(c, mi, -1, 0);
			rc = (struct rcpt *)c->rc.p + c->rc.n - 1;
			m->lsku = rc->l[0].sku;
			m->lpm = (uint16_t)rc->l[0].pm;
			m->lday = c->day;
			m->lstore = (uint16_t)rc->store;
		}
	}
	if ((uint64_t)rc->nlines > left)
		rc->nlines = (int32_t)left;
}

int
synth_single(const struct synth_opts *o, const char *path,
    struct synth_stats *st, struct cv_error *e)
{
	struct ctx c;
	struct buf roster = BUF_INIT;
	uint64_t *cum = NULL, *w = NULL, wsum = 0, wacc = 0, written = 0, quota;
	uint64_t acc = 0, left, most = 0;
	const uint64_t *k;
	const struct rcpt *rc;
	struct totals tot;
	unsigned *no = NULL;
	int32_t d, busiest;
	int64_t i;
	size_t j;
	int r = -1, style = o->style < 0 ? SYNTH_CNUTF8 : o->style;

	ctx_init(&c, o, st);
	c.single = 1;
	rng_seed(&c.sim, o->seed, STREAM_SINGLE);
	stores_make(&c, &roster);
	if (members_make(&c, 0, e) < 0)
		goto done;
	st->members = (uint64_t)c.nm;
	cum = xcalloc((size_t)c.nm, sizeof(*cum));
	for (i = 0; i < c.nm; i++) {
		acc += c.m[i].lam + 200;
		cum[i] = acc;
	}
	w = xcalloc((size_t)c.ndays, sizeof(*w));
	for (d = o->start; d <= o->end; d++) {
		day_setup(&c, d);
		w[d - o->start] = c.fstore;
		wsum += c.fstore;
	}
	/* A day's receipts are held until they are sorted: bound the day. */
	for (d = o->start, busiest = d; d <= o->end; d++) {
		wacc += w[d - o->start];
		quota = o->lines / wsum * wacc + o->lines % wsum * wacc / wsum;
		if (quota - written > most) {
			most = quota - written;
			busiest = d;
		}
		written = quota;
	}
	if (most > SYNTH_MAXDAYLINES) {
		char date[11];

		date_fmt(busiest, date);
		cv_fail(e, EX_USAGE, "--lines: %llu lines over %d day%s put "
		    "%llu on the busiest day (%s), more than %d; give a longer "
		    "window (--days, at most %d) or fewer --lines",
		    (unsigned long long)o->lines, (int)c.ndays,
		    c.ndays == 1 ? "" : "s", (unsigned long long)most, date,
		    SYNTH_MAXDAYLINES, SYNTH_MAXDAYS);
		goto done;
	}
	wacc = 0;
	written = 0;
	no = xcalloc((size_t)c.nstores, sizeof(*no));
	if (sink_open(&c, path, style == SYNTH_CNGBK, OUT_GZFAST, e) < 0)
		goto done;
	if (emit_head(&c, style, o->end + 1, e) < 0)
		goto done;
	memset(&tot, 0, sizeof(tot));
	for (d = o->start; d <= o->end; d++) {
		/* Lines up to this day: a share of the total by traffic. */
		wacc += w[d - o->start];
		quota = o->lines / wsum * wacc + o->lines % wsum * wacc / wsum;
		left = quota - written;
		day_setup(&c, d);
		c.rc.n = 0;
		while (left > 0) {
			single_receipt(&c, cum, left);
			rc = (struct rcpt *)c.rc.p + c.rc.n - 1;
			if (rc->nlines == 0) {
				c.rc.n--;
				continue;
			}
			left -= (uint64_t)rc->nlines;
		}
		written = quota;
		k = sort_receipts(&c, 0);
		memset(no, 0, (size_t)c.nstores * sizeof(*no));
		rc = c.rc.p;
		for (j = 0; j < c.rc.n; j++) {
			const struct rcpt *x = &rc[k[j] & 0xffffffff];

			if (emit_rcpt(&c, &c.stores[x->store], style, x,
			    ++no[x->store], &tot, e) < 0)
				goto done;
		}
		if (o->progress != NULL)
			o->progress(o->progress_arg, (uint64_t)(d - o->start + 1),
			    (uint64_t)c.ndays);
	}
	if (emit_tail(&c, style, &tot, e) < 0 || sink_close(&c, e) < 0)
		goto done;
	r = 0;
done:
	free(cum);
	free(w);
	free(no);
	buf_free(&roster);
	ctx_free(&c);
	return r;
}
