/* Unit tests for lib/hdrmap.c: synonyms, preference, overrides. */
#include <string.h>

#include "buf.h"
#include "hdrmap.h"
#include "test.h"

static int
M(struct hdrmap *m, const char *cell)
{
	int prio;

	return hdrmap_match(m, cell, strlen(cell), &prio);
}

int
main(void)
{
	struct hdrmap *t = hdrmap_new(KIND_TXN), *m = hdrmap_new(KIND_MEMBERS);
	struct cv_error e;
	char out[64];
	const char *cells[] = { "单号", "金额", "实收金额", "Date", "VIP卡号" };
	size_t lens[5];
	int col[5], where[HDRMAP_MAXF], i;

	CHECK(M(t, "单号") == TX_TXN_ID);
	CHECK(M(t, "InvoiceNo") == TX_TXN_ID);
	CHECK(M(t, "Receipt No.") == TX_TXN_ID);
	CHECK(M(t, "order_id") == TX_TXN_ID);
	CHECK(M(t, "交易單號") == TX_TXN_ID);
	CHECK(M(t, "销售时间") == TX_TS);
	CHECK(M(t, "InvoiceDate") == TX_TS);
	CHECK(M(t, "order_time") == TX_TS);
	CHECK(M(t, "会员卡号") == TX_CUSTOMER_ID);
	CHECK(M(t, "CustomerID") == TX_CUSTOMER_ID);
	CHECK(M(t, "Customer ID") == TX_CUSTOMER_ID);
	CHECK(M(t, "會員卡號") == TX_CUSTOMER_ID);
	CHECK(M(t, "门店") == TX_STORE_ID);
	CHECK(M(t, "营业员") == TX_STAFF_ID);
	CHECK(M(t, "StockCode") == TX_SKU);
	CHECK(M(t, "数量") == TX_QTY);
	CHECK(M(t, "number_of_cds") == TX_QTY);
	CHECK(M(t, "实收金额") == TX_AMOUNT);
	CHECK(M(t, "金额（元）") == TX_AMOUNT);
	CHECK(M(t, " \"Amount (GBP)\" ") == TX_AMOUNT);
	CHECK(M(t, "dollar_value") == TX_AMOUNT);
	CHECK(M(t, "UnitPrice") == TX_UNIT_PRICE);
	CHECK(M(t, "Description") == -1);
	CHECK(M(t, "Country") == -1);
	CHECK(M(t, "") == -1);
	CHECK(M(m, "姓名") == MB_NAME);
	CHECK(M(m, "专属导购") == MB_STAFF_ID);
	CHECK(M(m, "开卡门店") == MB_STORE_ID);
	CHECK(M(m, "客户类型") == MB_TYPE);
	CHECK(M(m, "拒绝联系") == MB_OPT_OUT);
	CHECK(M(m, "生日") == MB_BIRTHDAY);
	CHECK(M(m, "会员名称") == MB_NAME);
	CHECK(M(m, "Card No") == MB_CUSTOMER_ID);
	CHECK(M(t, "card_number") == TX_CUSTOMER_ID);
	CHECK(M(m, "card type") == MB_TIER);

	CHECK(hdrmap_norm(" 金额(元) ", strlen(" 金额(元) "), out,
	    sizeof(out)) == strlen("金额") && strcmp(out, "金额") == 0);
	/*
	 * Blanks and line breaks inside a name count for nothing, and so
	 * does a template's * around it; a form's padded labels match.
	 */
	CHECK(hdrmap_norm("性\xe3\x80\x80别", strlen("性\xe3\x80\x80别"), out,
	    sizeof(out)) == strlen("性别") && strcmp(out, "性别") == 0);
	CHECK(hdrmap_norm(" *会员卡号 ", strlen(" *会员卡号 "), out,
	    sizeof(out)) == strlen("会员卡号") && strcmp(out, "会员卡号") == 0);
	CHECK(hdrmap_norm("会员卡号\xef\xbc\x8a", strlen("会员卡号\xef\xbc\x8a"),
	    out, sizeof(out)) == strlen("会员卡号"));
	CHECK(hdrmap_norm("手机号（必填）*", strlen("手机号（必填）*"), out,
	    sizeof(out)) == strlen("手机号") && strcmp(out, "手机号") == 0);
	CHECK(hdrmap_norm("Date  of\xc2\xa0" "Birth", strlen("Date  of\xc2\xa0" "Birth"),
	    out, sizeof(out)) == 11 && strcmp(out, "DateofBirth") == 0);
	CHECK(M(m, "性\xe3\x80\x80别") == MB_GENDER);
	CHECK(M(m, "姓 名") == MB_NAME);
	CHECK(M(m, "生\xe3\x80\x80\xe3\x80\x80日") == MB_BIRTHDAY);
	CHECK(M(m, "会员\n等级") == MB_TIER);
	CHECK(M(m, "会员\r\n等级") == MB_TIER);
	CHECK(M(m, "*会员卡号") == MB_CUSTOMER_ID);
	CHECK(M(m, "会员 卡号") == MB_CUSTOMER_ID);
	CHECK(M(m, "Date  of  Birth") == MB_BIRTHDAY);
	CHECK(M(m, "Sign Up Date") == MB_JOIN_DATE);
	CHECK(M(t, "Number of Items") == TX_QTY);
	CHECK(M(t, "Customer  ID") == TX_CUSTOMER_ID);
	CHECK(M(t, "*") == -1);

	/* The better synonym wins: 实收金额 over 金额. */
	for (i = 0; i < 5; i++)
		lens[i] = strlen(cells[i]);
	CHECK(hdrmap_header(t, cells, lens, 5, col, where, &e) == 4);
	CHECK(where[TX_AMOUNT] == 2 && col[1] == -1 && col[2] == TX_AMOUNT);
	CHECK(where[TX_TS] == 3 && where[TX_CUSTOMER_ID] == 4);

	/* Two of equal rank are an error naming both. */
	cells[1] = "成交金额";
	lens[1] = strlen(cells[1]);
	CHECK(hdrmap_header(t, cells, lens, 5, col, where, &e) < 0 &&
	    (strstr(e.msg, "'成交金额' and '实收金额'") != NULL ||
	    strstr(e.msg, "'实收金额' and '成交金额'") != NULL));

	/* --map wins over every synonym. */
	CHECK(hdrmap_override(t, "amount=成交金额", &e) == 0);
	CHECK(hdrmap_header(t, cells, lens, 5, col, where, &e) == 4 &&
	    where[TX_AMOUNT] == 1);
	CHECK(hdrmap_override(t, "price=x", &e) < 0 && e.status == EX_USAGE);
	CHECK(hdrmap_override(t, "nonsense", &e) < 0);
	/* A member card number before a bare card number, a mobile before
	 * a landline: no error for the usual member export. */
	{
		const char *mc[] = { "卡号", "会员卡号", "电话", "手机号" };
		size_t ml[4];

		for (i = 0; i < 4; i++)
			ml[i] = strlen(mc[i]);
		CHECK(hdrmap_header(m, mc, ml, 4, col, where, &e) == 2 &&
		    where[MB_CUSTOMER_ID] == 1 && where[MB_PHONE] == 3);
	}
	/* One column --map gives to two fields serves both. */
	{
		const char *mc[] = { "手机号", "姓名" };
		size_t ml[] = { strlen(mc[0]), strlen(mc[1]) };

		CHECK(hdrmap_override(m, "customer_id=手机号", &e) == 0 &&
		    hdrmap_override(m, "phone=手机号", &e) == 0);
		CHECK(hdrmap_header(m, mc, ml, 2, col, where, &e) == 3 &&
		    where[MB_CUSTOMER_ID] == 0 && where[MB_PHONE] == 0 &&
		    where[MB_NAME] == 1);
	}
	/*
	 * Opt-out flags as CRM exports write them, asked as a question or
	 * by channel; a column that says yes to being contacted is none.
	 */
	{
		static const char *const yes[] = { "是否退订", "是否拒绝联系",
		    "是否免打扰", "短信退订", "勿扰", "请勿打扰", "已退订",
		    "退订状态", "拒收短信", "是否退訂", "是否拒絕聯絡", "簡訊退訂",
		    "勿擾", "SMS Opt-out", "Email Opt Out", "Marketing Opt-Out",
		    "Opted Out", "Unsubscribe", "Unsubscribed", "Do Not Call",
		    "Do Not Email", "opt_out", "DNC", NULL };
		static const char *const no[] = { "是否接收短信", "退订时间",
		    "Accepts Email Marketing", "Accepts SMS Marketing",
		    "Opt In", "Unsubscribe Date", NULL };
		int p, q;

		for (i = 0; yes[i] != NULL; i++)
			CHECK(M(m, yes[i]) == MB_OPT_OUT);
		for (i = 0; no[i] != NULL; i++)
			CHECK(M(m, no[i]) == -1);
		/* general before texts and calls, those before mail */
		CHECK(hdrmap_match(m, "是否退订", strlen("是否退订"), &p) ==
		    MB_OPT_OUT && hdrmap_match(m, "短信退订", strlen("短信退订"),
		    &q) == MB_OPT_OUT && p < q);
		CHECK(hdrmap_match(m, "SMS Opt-out", 11, &p) == MB_OPT_OUT &&
		    hdrmap_match(m, "Email Opt Out", 13, &q) == MB_OPT_OUT &&
		    p < q);
	}
	/*
	 * The columns not read: names no field has; not a lesser synonym
	 * left for a better one (电话 beside 手机), a blank cell, or what
	 * --map named.
	 */
	{
		const char *uc[] = { "会员卡号", "是否VIP", "手机", "电话", "",
		    "积分", "备注\n说明", " 余额 " };
		size_t ul[8];
		int uc8[8], uw[HDRMAP_MAXF];
		struct buf b = BUF_INIT;
		struct hdrmap *u = hdrmap_new(KIND_MEMBERS);

		for (i = 0; i < 8; i++)
			ul[i] = strlen(uc[i]);
		CHECK(hdrmap_header(u, uc, ul, 8, uc8, uw, &e) == 2);
		CHECK(hdrmap_unread(u, uc, ul, 8, uc8, &b) == 4 &&
		    strcmp(b.p, "是否VIP, 积分, 备注\\n说明, 余额") == 0);
		CHECK(hdrmap_override(u, "opt_out=是否VIP", &e) == 0);
		CHECK(hdrmap_header(u, uc, ul, 8, uc8, uw, &e) == 3);
		b.len = 0;
		CHECK(hdrmap_unread(u, uc, ul, 8, uc8, &b) == 3 &&
		    strcmp(b.p, "积分, 备注\\n说明, 余额") == 0);
		buf_free(&b);
		hdrmap_free(u);
	}
	/*
	 * A bare 会员 gives way to a mobile number for the member id; in a
	 * member profile the mobile number is then the id and the phone,
	 * and the 会员 column the name when no column holds it.
	 */
	{
		static const struct {
			enum kind k;
			const char *h[3];
			int cust, phone, name;
		} c[] = {
			{ KIND_MEMBERS, { "会员", "手机号", "性别" }, 1, 1, 0 },
			{ KIND_MEMBERS, { "会员", "姓名", "手机号" }, 2, 2, 1 },
			{ KIND_MEMBERS, { "会员卡号", "会员", "会员手机号" }, 0, 2, -1 },
			{ KIND_MEMBERS, { "手机", "姓名", "电话" }, 0, 0, 1 },
			{ KIND_MEMBERS, { "会员", "姓名", "电话" }, 0, 2, 1 },
			{ KIND_MEMBERS, { "VIP卡号", "姓名", "手机" }, 0, 2, 1 },
			{ KIND_CONTACTS, { "日期", "会员", "手机号" }, 2, -1, -1 },
			{ KIND_TXN, { "会员", "手机号", "金额" }, 1, -1, -1 },
		};
		int cw[HDRMAP_MAXF];
		size_t cl[3];
		unsigned k;

		for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
			struct hdrmap *x = hdrmap_new(c[k].k);

			for (i = 0; i < 3; i++)
				cl[i] = strlen(c[k].h[i]);
			CHECK(hdrmap_header(x, c[k].h, cl, 3, col, cw, &e) >= 2);
			CHECK(cw[hdrmap_lookup(x, "customer_id")] == c[k].cust);
			if (c[k].k == KIND_MEMBERS)
				CHECK(cw[MB_PHONE] == c[k].phone &&
				    cw[MB_NAME] == c[k].name);
			hdrmap_free(x);
		}
	}
	/*
	 * A member's home store and assistant: a code before a name, the
	 * one the member belongs to now (所属, 专属) before where the card
	 * was opened; a Location is no store in a member profile.
	 */
	{
		const char *a[] = { "开卡门店", "门店编码", "专属导购", "导购编号" };
		const char *b[] = { "开卡门店编码", "专属导购编号", "所属门店代码",
		    "所属导购工号" };
		const char *d[] = { "开卡门店", "所属门店", "开卡导购", "所属导购" };
		size_t al[4], bl[4], dl[4];
		int hw[HDRMAP_MAXF];

		for (i = 0; i < 4; i++) {
			al[i] = strlen(a[i]);
			bl[i] = strlen(b[i]);
			dl[i] = strlen(d[i]);
		}
		CHECK(hdrmap_header(m, a, al, 4, col, hw, &e) == 2 &&
		    hw[MB_STORE_ID] == 1 && hw[MB_STAFF_ID] == 3);
		CHECK(hdrmap_header(m, b, bl, 4, col, hw, &e) == 2 &&
		    hw[MB_STORE_ID] == 2 && hw[MB_STAFF_ID] == 1);
		CHECK(hdrmap_header(m, d, dl, 4, col, hw, &e) == 2 &&
		    hw[MB_STORE_ID] == 1 && hw[MB_STAFF_ID] == 3);
		CHECK(M(m, "所屬門店編號") == MB_STORE_ID);
		CHECK(M(m, "專屬導購工號") == MB_STAFF_ID);
		CHECK(M(m, "Home Store Code") == MB_STORE_ID);
		CHECK(M(m, "Location") == -1);
		CHECK(M(t, "Location") == TX_STORE_ID);
		CHECK(M(m, "Store") == MB_STORE_ID);
	}
	/* Member and contact headers of common exports. */
	{
		static const struct {
			const char *h;
			int f;
		} mh[] = {
			{ "会员手机号", MB_PHONE }, { "會員手機", MB_PHONE },
			{ "联系手机", MB_PHONE }, { "电话号码", MB_PHONE },
			{ "電話號碼", MB_PHONE }, { "Mobile No.", MB_PHONE },
			{ "Phone No.", MB_PHONE }, { "Tel.", MB_PHONE },
			{ "会员性别", MB_GENDER }, { "会员生日", MB_BIRTHDAY },
			{ "會員生日", MB_BIRTHDAY }, { "顾客生日", MB_BIRTHDAY },
			{ "客户生日", MB_BIRTHDAY }, { "Birth Day", MB_BIRTHDAY },
			{ "所属店铺", MB_STORE_ID }, { "开卡店铺", MB_STORE_ID },
			{ "开卡店", MB_STORE_ID }, { "归属店铺", MB_STORE_ID },
			{ "开卡导购", MB_STAFF_ID }, { "服务导购", MB_STAFF_ID },
			{ "导购姓名", MB_STAFF_ID }, { "专属顾问", MB_STAFF_ID },
			{ "办卡日期", MB_JOIN_DATE }, { "发卡日期", MB_JOIN_DATE },
			{ "创建时间", MB_JOIN_DATE }, { "卡级别", MB_TIER },
			{ "会员卡类型", MB_TIER }, { "会员名", MB_NAME },
			{ "客户名", MB_NAME }, { "顾客名", MB_NAME },
			{ "First Name", MB_NAME }, { "Last Name", -1 },
		}, ch[] = {
			{ "导购姓名", CT_STAFF_ID }, { "联系渠道", CT_CHANNEL },
			{ "回访方式", CT_CHANNEL }, { "联系类型", CT_CAMPAIGN },
			{ "联系内容", CT_NOTE }, { "回访内容", CT_NOTE },
			{ "回访时间", CT_DATE }, { "聯絡日期", CT_DATE },
		};
		struct hdrmap *x = hdrmap_new(KIND_CONTACTS);
		struct hdrmap *y = hdrmap_new(KIND_MEMBERS);
		const char *dt[] = { "联系日期", "联系时间", "会员卡号" };
		const char *en[] = { "Time", "Date", "Member ID" };
		const char *nm[] = { "First Name", "Name", "Member ID" };
		size_t dl[3];
		int hw[HDRMAP_MAXF];
		unsigned k;

		for (k = 0; k < sizeof(mh) / sizeof(mh[0]); k++)
			CHECK(M(y, mh[k].h) == mh[k].f);
		for (k = 0; k < sizeof(ch) / sizeof(ch[0]); k++)
			CHECK(M(x, ch[k].h) == ch[k].f);
		/* a date beside a time of day is the date, in either order */
		for (i = 0; i < 3; i++)
			dl[i] = strlen(dt[i]);
		CHECK(hdrmap_header(x, dt, dl, 3, col, hw, &e) == 2 &&
		    hw[CT_DATE] == 0 && col[1] == -1);
		for (i = 0; i < 3; i++)
			dl[i] = strlen(en[i]);
		CHECK(hdrmap_header(x, en, dl, 3, col, hw, &e) == 2 &&
		    hw[CT_DATE] == 1 && col[0] == -1);
		/* a first name gives way to the whole name */
		for (i = 0; i < 3; i++)
			dl[i] = strlen(nm[i]);
		CHECK(hdrmap_header(y, nm, dl, 3, col, hw, &e) == 2 &&
		    hw[MB_NAME] == 1);
		hdrmap_free(x);
		hdrmap_free(y);
	}
	CHECK(hdrmap_kind("members") == KIND_MEMBERS &&
	    hdrmap_kind("orders") == -1);
	CHECK(hdrmap_lookup(t, "sku") == TX_SKU && hdrmap_required(t, TX_TS));
	/* Exports of other tills: codes before names, phones, split times. */
	{
		const char *h[] = { "门店编码", "门店", "导购编号", "导购员",
		    "零售单号", "销售日期", "销售时间", "会员手机号", "商品数量",
		    "售价", "折扣", "实际售价", "小计", "Unit", "吊牌价" };
		size_t hl[15];
		int hc[15], hw[HDRMAP_MAXF], p;
		struct hdrmap *x = hdrmap_new(KIND_TXN);

		for (i = 0; i < 15; i++)
			hl[i] = strlen(h[i]);
		CHECK(hdrmap_header(x, h, hl, 15, hc, hw, &e) > 0);
		CHECK(hw[TX_STORE_ID] == 0 && hc[1] == -1);
		CHECK(hw[TX_STAFF_ID] == 2 && hc[3] == -1);
		CHECK(hw[TX_TXN_ID] == 4);
		CHECK(hw[TX_TS] == 6 && hc[5] == -1);
		CHECK(hw[TX_CUSTOMER_ID] == 7);
		CHECK(hw[TX_QTY] == 8 && hc[13] == -1);
		CHECK(hw[TX_UNIT_PRICE] == 11 && hc[9] == -1);
		CHECK(hw[TX_AMOUNT] == 12 && hc[14] == -1 && hc[10] == -1);
		/* The date column left over could be the rest of the time. */
		CHECK(hdrmap_could_be(x, TX_TS, "销售日期", strlen("销售日期")) == 1);
		CHECK(hdrmap_could_be(x, TX_TS, "Time", 4) == 4);
		CHECK(hdrmap_could_be(x, TX_TS, "Time Zone", 9) == -1);
		CHECK(hdrmap_could_be(x, TX_QTY, "Unit", 4) > hdrmap_could_be(x, TX_QTY,
		    "Qty", 3));
		CHECK(hdrmap_discount(x, "折扣", strlen("折扣")));
		CHECK(hdrmap_discount(x, "优惠金额", strlen("优惠金额")));
		CHECK(hdrmap_discount(x, "Discounts", 9));
		CHECK(!hdrmap_discount(x, "实收金额", strlen("实收金额")));
		CHECK(!hdrmap_discount(m, "折扣", strlen("折扣")));
		CHECK(M(x, "Sales") == TX_AMOUNT);
		CHECK(M(x, "Sales No") == TX_TXN_ID);
		CHECK(M(x, "Lineitem quantity") == TX_QTY);
		CHECK(M(x, "Email") == TX_CUSTOMER_ID);
		CHECK(M(x, "售货员") == TX_STAFF_ID);
		CHECK(hdrmap_match(x, "售价", strlen("售价"), &p) == TX_UNIT_PRICE &&
		    p > 0);
		CHECK(hdrmap_match(x, "实际售价", strlen("实际售价"), &p) ==
		    TX_UNIT_PRICE && p == 1);
		CHECK(!hdrmap_discount(x, "折扣价", strlen("折扣价")));
		CHECK(!hdrmap_discount(x, "Discount Code", 13));
		CHECK(M(x, "会员编码") == TX_CUSTOMER_ID);
		CHECK(M(x, "付款时间") != TX_TS);
		CHECK(hdrmap_match(m, "注册门店", strlen("注册门店"), &p) ==
		    MB_STORE_ID);
		hdrmap_free(x);
	}
	hdrmap_free(t);
	hdrmap_free(m);
	return test_summary();
}
