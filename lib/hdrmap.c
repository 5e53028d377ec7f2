/*
 * hdrmap: the synonym tables and the header matcher (see hdrmap.h).
 *
 * The tables are ordered lists of patterns per field: the first ones are
 * the most specific (实收金额 before 金额, so a file with both a list price
 * and a paid amount maps the paid one).  Patterns are compiled once per
 * run, anchored at both ends and case-insensitive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "hdrmap.h"
#include "re.h"

#define NPAT	10	/* synonym ranks per field, the NULL included */

struct fieldspec {
	const char	*name;
	int		 required;
	const char	*pat[NPAT];	/* in order of preference, NULL-ended */
};

/* Shared building blocks. */
#define ID_SUFFIX "[ _.-]?(?:id|no\\.?|nr|number|num|code|#)"
#define P_CUST_CN "会员卡号|會員卡號|会员号|會員號|会员编号|會員編號|会员卡|會員卡|" \
	"会员编码|會員編碼|会员代码|會員代碼|会员id|會員id|" \
	"vip卡号|vip卡號|vip号|vip號|vip编号|顾客编号|顧客編號|客户编号|客戶編號|" \
	"客户号|客戶號|顾客卡号"
/*
 * A bare card number gives way to a member card number (or a payment
 * card's number to the customer id) beside it.
 */
#define P_CUST_CARD "卡号|卡號|card[ _-]?(?:no\\.?|number)"
#define P_CUST_EN "(?:customer|member|client|cust|vip|loyalty)(?:" ID_SUFFIX \
	"|[ _-]?card(?:[ _-]?no\\.?)?)?|customer_id"
/*
 * A store's or an assistant's code is the id; a name column beside it
 * gives way (门店编码 and 门店, 导购编号 and 导购员).
 */
#define P_STORE_CN "门店编码|門店編碼|门店编号|門店編號|门店代码|門店代碼|店铺编码|" \
	"店鋪編碼|店铺编号|店鋪編號|店铺代码|店鋪代碼|店号|店號|门店号|門店號|" \
	"门市编号|門市編號|门市代码|門市代碼|店仓编码|店倉編碼"
/*
 * In sales a Location is the store (Square); in a member profile it is
 * more often where the member lives, so member profiles leave it out.
 */
#define STORE_EN	"store|shop|branch|outlet|location"
#define STORE_EN_MB	"store|shop|branch|outlet"
#define P_STORE_OF(en)	P_STORE_CN "|(?:" en ")(?:" ID_SUFFIX ")?|store_id"
#define P_STORE_NAME_OF(en) "门店|門店|店铺|店鋪|门店名称|門店名稱|店铺名称|" \
	"店鋪名稱|店铺名|店鋪名|(?:" en ")[ _-]?name"
#define P_STORE		P_STORE_OF(STORE_EN)
#define P_STORE_NAME	P_STORE_NAME_OF(STORE_EN)
/* Rarer names, after the others: any of those beside one of these wins. */
#define P_STORE_NAME2 "店名|门店名|門店名|门市|門市|门市名称|門市名稱|店仓|店倉|" \
	"专柜|專櫃"
#define P_STAFF "导购编号|導購編號|导购工号|導購工號|导购代码|導購代碼|" \
	"营业员编号|營業員編號|营业员工号|營業員工號|员工编号|員工編號|" \
	"员工工号|員工工號|工号|工號|" \
	"(?:staff|salesperson|sales[ _-]?person|sales[ _-]?rep|sales[ _-]?associate|" \
	"assistant|clerk|employee|seller|associate)" ID_SUFFIX "|staff_id"
#define P_STAFF_NAME "导购员|導購員|导购|導購|营业员|營業員|销售员|銷售員|" \
	"售货员|售貨員|店员|店員|经手人|經手人|(?:staff|salesperson|sales[ _-]?person|sales[ _-]?rep|" \
	"sales[ _-]?associate|assistant|clerk|employee|seller|associate)"
/* A column named as the name, after a bare 导购 that may hold the code. */
#define P_STAFF_NAME2 "导购姓名|導購姓名|导购名称|導購名稱|营业员姓名|營業員姓名|" \
	"店员姓名|店員姓名"
/* A member known by the mobile number, or a web shop's customer by mail. */
#define P_CUST_PHONE "会员手机号|會員手機號|会员手机|會員手機|会员手机号码|" \
	"會員手機號碼|买家手机号|買家手機號|顾客手机号|顧客手機號|手机号|手機號|" \
	"手机号码|手機號碼|手机|手機|客户手机号|客戶手機號|客户手机|客戶手機|" \
	"联系手机|聯繫手機|联系手机号|聯繫手機號|聯絡手機"
/*
 * A bare 会员 may be the member's name (a report's 会员 beside 手机号): the
 * mobile number beside it is the better id.
 */
#define P_CUST_BARE "会员|會員"
#define P_CUST_MAIL "e-?mail|e-?mail[ _-]?address|(?:customer|billing)[ _-]?e-?mail"

static const struct fieldspec txn_fields[] = {
	{ "txn_id", 0, {
	    "单号|單號|小票号|小票號|小票编号|小票編號|小票|流水号|流水號|销售单号|"
	    "銷售單號|单据号|單據號|单据编号|單據編號|票号|票號|订单号|訂單號|"
	    "订单编号|訂單編號|交易号|交易號|交易编号|交易編號|交易单号|交易單號|"
	    "收银单号|收銀單號|零售单号|零售單號|零售单据号|零售單據號|售货单号|"
	    "售貨單號|零售小票号|零售小票號",
	    /* a bare "Sales" column is money, not a receipt */
	    "(?:invoice|receipt|ticket|order|transaction|trans|txn|bill|check)"
	    "(?:" ID_SUFFIX ")?|(?:sale|sales)" ID_SUFFIX "|txn_id",
	    NULL } },
	{ "line", 0, {
	    "行号|行號|明细行号|明細行號|序号|序號|明细序号|明細序號|明细流水|"
	    "明細流水|明细编号|明細編號|明细号|明細號",
	    "line|line" ID_SUFFIX "|item" ID_SUFFIX "|seq|seq" ID_SUFFIX,
	    NULL } },
	{ "ts", 1, {
	    "销售时间|銷售時間|交易时间|交易時間|下单时间|下單時間|订单时间|"
	    "訂單時間|购买时间|購買時間|成交时间|成交時間|订单创建时间|"
	    "訂單創建時間",
	    "销售日期|銷售日期|交易日期|单据日期|單據日期|订单日期|訂單日期|"
	    "购买日期|購買日期|业务日期|業務日期|成交日期",
	    "(?:invoice|sale|sales|transaction|txn|order|purchase|receipt|"
	    "ticket)[ _-]?(?:date|time|date[ _-]?time|datetime|timestamp)|"
	    "created[ _-]?at",
	    "日期|date|datetime|date[ _-]?time|timestamp|ts",
	    /* a time of day beside a date column: see cv-ingest(1) */
	    "时间|時間|time",
	    NULL } },
	{ "customer_id", 1, { P_CUST_CN, P_CUST_EN, P_CUST_CARD, P_CUST_PHONE,
	    P_CUST_BARE, P_CUST_MAIL, NULL } },
	{ "store_id", 0, { P_STORE, P_STORE_NAME, P_STORE_NAME2, NULL } },
	{ "staff_id", 0, { P_STAFF, P_STAFF_NAME, P_STAFF_NAME2, NULL } },
	{ "channel", 0, {
	    "渠道|销售渠道|銷售渠道|(?:sales[ _-]?)?channel", NULL } },
	{ "sku", 0, {
	    "款号|款號|商品编码|商品編碼|商品编号|商品編號|商品代码|商品代碼|货号|"
	    "貨號|条码|條碼|商品条码|商品條碼|款式编号|款式編號",
	    "sku|stock[ _-]?code|item[ _-]?code|product[ _-]?(?:id|code|no)|"
	    "article(?:[ _-]?(?:no|number|code))?|style(?:[ _-]?(?:no|code))?",
	    NULL } },
	{ "qty", 0, {
	    "数量|數量|件数|件數|销售数量|銷售數量|销量|銷量|商品数量|商品數量|"
	    "销售件数|銷售件數|零售数量|零售數量|购买数量|購買數量",
	    /* a bare "Unit" is the unit of measure (ea, pcs), not a count */
	    "qty|quantity|units|pcs|pieces|number[ _-]?of[ _-]?\\w+|"
	    "(?:lineitem|line[ _-]?item|item)[ _-]?(?:qty|quantity)",
	    /* Qty Sold gives way to Qty or Quantity beside it */
	    "(?:qty|quantity|units)[ _-]?sold|sold[ _-]?(?:qty|quantity|units)",
	    /* Unit gives way to a count beside it (Square: Qty and Unit) */
	    "unit", NULL } },
	{ "amount", 0, {
	    "实收金额|實收金額|成交金额|成交金額|实付金额|實付金額|实收|實收|"
	    "实付|實付|折后金额|折後金額|销售金额|銷售金額|商品实际成交金额|"
	    "商品實際成交金額|零售销售金额|零售銷售金額|优惠后金额|優惠後金額|"
	    "实际金额|實際金額",
	    "net[ _-]?amount|line[ _-]?(?:total|amount)|net[ _-]?sales|"
	    "amount|sales[ _-]?amount|paid",
	    /* rank HDRMAP_AMOUNT_GENERIC: a --map'd unit price wins */
	    "金额|金額|total|sales|revenue|value|dollar[ _-]?value",
	    "小计|小計", NULL } },
	{ "unit_price", 0, {
	    "成交单价|成交單價|成交价|成交價",
	    "实际售价|實際售價|实收单价|實收單價|折后价|折後價|折后单价|折後單價",
	    "单价|單價",
	    /*
	     * rank HDRMAP_PRICE_SELLING: a selling price beside the price
	     * paid is before the discount
	     */
	    "售价|售價|unit[ _-]?price|unitprice|(?:lineitem|line[ _-]?item)[ _-]?price",
	    "price", NULL } },
};

/*
 * A member's home store and assistant: a code before a name, as for
 * sales, and the one the member belongs to now (所属门店) before the one
 * the card was opened at (开卡门店).
 */
#define HOME_NOW_W	"所属|所屬|归属|歸屬"
#define HOME_OPEN_W	"开卡|開卡|注册|註冊|发卡|發卡|入会|入會|办卡|辦卡"
#define HOME_NOW	"(?:" HOME_NOW_W ")"
#define HOME_OPEN	"(?:" HOME_OPEN_W ")"
#define HOME_STORE	"(?:门店|門店|店铺|店鋪|门市|門市)"
#define HOME_STAFF	"(?:导购|導購|顾问|顧問)"
#define CODE_CN		"(?:编码|編碼|编号|編號|代码|代碼|号|號)"
#define STAFF_CODE_CN	"(?:编号|編號|工号|工號|代码|代碼|编码|編碼)"
/* Chinese opt-out flags, also asked as a question (是否退订). */
#define OPT_OUT_CN	"(?:是否|已)?(?:拒绝联系|拒絕聯繫|拒绝联络|拒絕聯絡|" \
	"免打扰|免打擾|勿扰|勿擾|请勿打扰|請勿打擾|退订|退訂|拒收|拒绝营销|" \
	"拒絕營銷|拒絕行銷|拒收营销|拒收營銷)(?:状态|狀態|标记|標記|标识|標識)?"
#define OPT_OUT_CN_SMS	"(?:是否|已)?(?:(?:短信|短訊|簡訊|营销短信|營銷短信)" \
	"(?:退订|退訂)|(?:退订|退訂|拒收|拒绝|拒絕)(?:短信|短訊|簡訊|营销短信|" \
	"營銷短信)|拒接电话|拒接電話|拒绝电话|拒絕電話|拒绝来电|拒絕來電)" \
	"(?:状态|狀態|标记|標記|标识|標識)?"
#define OPT_OUT_CN_MAIL	"(?:是否|已)?(?:(?:邮件|郵件)(?:退订|退訂)|" \
	"(?:退订|退訂|拒收)(?:邮件|郵件))(?:状态|狀態)?"

static const struct fieldspec member_fields[] = {
	{ "customer_id", 1, { P_CUST_CN, P_CUST_EN, P_CUST_CARD, P_CUST_PHONE,
	    P_CUST_BARE, NULL } },
	{ "name", 0, {
	    "姓名|会员姓名|會員姓名|顾客姓名|顧客姓名|客户姓名|客戶姓名|名字|"
	    "客户名称|客戶名稱|会员名|會員名|客户名|客戶名|顾客名|顧客名",
	    "name|(?:customer|member|client|full)[ _-]?name",
	    /* a member's "title" gives way to a name column beside it */
	    "会员名称|會員名稱|顾客名称|顧客名稱",
	    /* a first name, when no column holds the whole name */
	    "first[ _-]?name|given[ _-]?name", NULL } },
	{ "phone", 0, {
	    /* a mobile number before a landline beside it */
	    P_CUST_PHONE "|移动电话|移動電話|手提电话|手提電話",
	    "mobile|cell|(?:mobile|cell)[ _-]?phone|"
	    "(?:mobile|cell)(?:[ _-]?phone)?[ _-]?(?:no\\.?|number|#)",
	    "电话|電話|联系电话|聯繫電話|電話號碼|电话号码|联系电话号码|"
	    "聯繫電話號碼|聯絡電話",
	    "phone|tel\\.?|telephone|(?:phone|tel|telephone)[ _-]?(?:no\\.?|number|#)|"
	    "contact[ _-]?(?:no\\.?|number)",
	    NULL } },
	{ "gender", 0, { "性别|性別|会员性别|會員性別|顾客性别|顧客性別|"
	    "客户性别|客戶性別|gender|sex", NULL } },
	{ "birthday", 0, {
	    "生日|出生日期|出生年月日|出生年月|会员生日|會員生日|顾客生日|顧客生日|"
	    "客户生日|客戶生日|出生日|生日日期",
	    "birthday|birth[ _-]?day|birth[ _-]?date|date[ _-]?of[ _-]?birth|dob",
	    NULL } },
	{ "join_date", 0, {
	    "入会日期|入會日期|开卡日期|開卡日期|注册日期|註冊日期|入会时间|"
	    "入會時間|开卡时间|開卡時間|注册时间|註冊時間|办卡日期|辦卡日期|"
	    "办卡时间|辦卡時間|发卡日期|發卡日期|发卡时间|發卡時間",
	    "join[ _-]?date|joined|member[ _-]?since|since|customer[ _-]?since|"
	    "(?:registration|signup|sign[ _-]?up)[ _-]?date",
	    /* when the record was made: a join date beside it wins */
	    "创建时间|創建時間|创建日期|創建日期|建档日期|建檔日期|"
	    "created|created[ _-]?at|date[ _-]?created|creation[ _-]?date",
	    NULL } },
	{ "store_id", 0, {
	    HOME_NOW HOME_STORE CODE_CN "|home[ _-]?store" ID_SUFFIX,
	    HOME_OPEN HOME_STORE CODE_CN,
	    P_STORE_OF(STORE_EN_MB),
	    HOME_NOW HOME_STORE "(?:名称|名稱)?|home[ _-]?store(?:[ _-]?name)?",
	    HOME_OPEN "(?:门店|門店|店铺|店鋪|门市|門市|店)(?:名称|名稱)?",
	    P_STORE_NAME_OF(STORE_EN_MB), P_STORE_NAME2, NULL } },
	{ "staff_id", 0, {
	    /* the assistant the member is given to (专属) before others */
	    "(?:专属|專屬)" HOME_STAFF STAFF_CODE_CN "|"
	    "(?:assigned|personal)[ _-]?(?:staff|assistant|advisor)" ID_SUFFIX,
	    HOME_NOW HOME_STAFF STAFF_CODE_CN,
	    "(?:服务|服務|" HOME_OPEN_W ")" HOME_STAFF STAFF_CODE_CN,
	    P_STAFF,
	    "(?:专属|專屬)" HOME_STAFF "(?:姓名|名称|名稱)?|"
	    "(?:assigned|personal)[ _-]?(?:staff|assistant|advisor)(?:[ _-]?name)?",
	    HOME_NOW HOME_STAFF "(?:姓名|名称|名稱)?",
	    "(?:服务|服務|" HOME_OPEN_W ")" HOME_STAFF "(?:姓名|名称|名稱)?",
	    P_STAFF_NAME, P_STAFF_NAME2, NULL } },
	{ "tier", 0, {
	    "会员等级|會員等級|会员级别|會員級別|等级|等級|卡类型|卡類型|卡种|卡種|"
	    "卡级别|卡級別|卡等级|卡等級|会员卡类型|會員卡類型|会员卡等级|"
	    "會員卡等級|会员卡级别|會員卡級別|级别|級別",
	    "tier|level|member[ _-]?(?:level|tier)|card[ _-]?(?:type|level|tier)|"
	    "membership[ _-]?(?:level|tier|type)|vip[ _-]?level|loyalty[ _-]?tier",
	    NULL } },
	{ "type", 0, {
	    "客户类型|客戶類型|会员类型|會員類型|顾客类型|顧客類型|客户类别|"
	    "客戶類別|类型|類型",
	    "type|customer[ _-]?type|member[ _-]?type|segment[ _-]?type", NULL } },
	{ "opt_out", 0, {
	    /*
	     * Of two opt-out columns, the general one wins, then one for
	     * texts and calls, the channels cv's call lists use; a mail
	     * opt-out last.  A column that says yes to being contacted
	     * (是否接收短信, Accepts Marketing) is no opt-out column.
	     */
	    OPT_OUT_CN,
	    "(?:marketing[ _-]?)?opt(?:ed)?[ _-]?out(?:[ _-]?(?:status|flag))?|"
	    "do[ _-]?not[ _-]?(?:contact|disturb|market)|"
	    "(?:marketing[ _-]?)?unsubscribed?|no[ _-]?(?:contact|marketing)",
	    OPT_OUT_CN_SMS,
	    "(?:sms|text|phone|call|whatsapp)[ _-]?(?:opt(?:ed)?[ _-]?out|"
	    "unsubscribed?)|do[ _-]?not[ _-]?(?:call|text|sms)|dnc",
	    OPT_OUT_CN_MAIL,
	    "(?:e-?mail|mail)[ _-]?(?:opt(?:ed)?[ _-]?out|unsubscribed?)|"
	    "do[ _-]?not[ _-]?(?:e-?mail|mail)",
	    NULL } },
};

static const struct fieldspec contact_fields[] = {
	{ "date", 1, {
	    /* a date before a time of day beside it, as for sales */
	    "联系日期|聯繫日期|聯絡日期|联络日期|回访日期|回訪日期|跟进日期|"
	    "跟進日期|拜访日期|拜訪日期|沟通日期|溝通日期",
	    "日期|(?:contact|call|visit|follow[ _-]?up)[ _-]?date|date",
	    "联系时间|聯繫時間|聯絡時間|联络时间|回访时间|回訪時間|跟进时间|"
	    "跟進時間|拜访时间|拜訪時間|沟通时间|溝通時間|"
	    "(?:contact|call|visit|follow[ _-]?up)[ _-]?(?:time|date[ _-]?time|datetime)",
	    "时间|時間|time|datetime|date[ _-]?time|timestamp|ts", NULL } },
	{ "customer_id", 1, { P_CUST_CN, P_CUST_EN, P_CUST_CARD, P_CUST_PHONE,
	    P_CUST_BARE, NULL } },
	{ "staff_id", 0, { P_STAFF, P_STAFF_NAME, P_STAFF_NAME2, NULL } },
	{ "channel", 0, {
	    "联系方式|聯繫方式|聯絡方式|方式|渠道|联系渠道|聯繫渠道|聯絡渠道|"
	    "回访方式|回訪方式|跟进方式|跟進方式|沟通方式|溝通方式|回访渠道|"
	    "回訪渠道",
	    "channel|method|via|medium|contact[ _-]?(?:channel|method)", NULL } },
	{ "campaign", 0, {
	    "活动|活動|活动名称|活動名稱|事由|原因|联系原因|聯繫原因|联系类型|"
	    "聯繫類型|回访类型|回訪類型|联系目的|聯繫目的|回访目的|回訪目的",
	    "campaign|reason|purpose|occasion", NULL } },
	{ "outcome", 0, {
	    "结果|結果|联系结果|聯繫結果|回访结果|回訪結果|跟进结果|跟進結果",
	    "outcome|result|status|response", NULL } },
	{ "note", 0, { "备注|備註|说明|說明|联系内容|聯繫內容|回访内容|回訪內容|"
	    "跟进内容|跟進內容|沟通内容|溝通內容|内容|內容|回访记录|回訪記錄",
	    "notes?|comments?|remarks?|memo|content|details", NULL } },
};

static const struct fieldspec staff_fields[] = {
	{ "staff_id", 1, { P_STAFF, P_STAFF_NAME, NULL } },
	{ "name", 0, { "姓名|导购姓名|導購姓名|名字", "name|(?:staff|employee)[ _-]?name",
	    NULL } },
	{ "store_id", 0, { P_STORE, P_STORE_NAME, P_STORE_NAME2, NULL } },
	{ "status", 0, { "状态|狀態|在职状态|在職狀態|在职|在職",
	    "status|state|employment[ _-]?status|active", NULL } },
	{ "left_date", 0, {
	    "离职日期|離職日期|离职时间|離職時間",
	    "left[ _-]?date|leave[ _-]?date|end[ _-]?date|left|termination[ _-]?date",
	    NULL } },
};

static const struct {
	const char		*name;
	const struct fieldspec	*f;
	int			 n;
} kinds[KIND_COUNT] = {
	{ "txn", txn_fields, TX_NFIELDS },
	{ "members", member_fields, MB_NFIELDS },
	{ "contacts", contact_fields, CT_NFIELDS },
	{ "staff", staff_fields, SF_NFIELDS },
};

struct hdrmap {
	enum kind	 kind;
	int		 nf;
	const struct fieldspec *spec;
	struct re	*re[HDRMAP_MAXF][NPAT];
	char		*override[HDRMAP_MAXF];
	struct re	*disc;		/* a discount column (sales) */
};

/* A column of discounts, or of the share paid (折扣 80 is 80%). */
#define P_DISCOUNT ".*(?:折扣|折让|折讓|优惠|優惠|让利|讓利|discounts?|" \
	"markdowns?)(?:金额|金額|额|額|率|[ _-]?(?:amount|amt|rate|%))?"

int
hdrmap_kind(const char *name)
{
	int i;

	for (i = 0; i < KIND_COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

const char *
hdrmap_kind_name(enum kind kind)
{
	return kinds[kind].name;
}

struct hdrmap *
hdrmap_new(enum kind kind)
{
	struct hdrmap *m = xcalloc(1, sizeof(*m));
	struct cv_error e;
	int i, j;

	m->kind = kind;
	m->nf = kinds[kind].n;
	m->spec = kinds[kind].f;
	for (i = 0; i < m->nf; i++)
		for (j = 0; m->spec[i].pat[j] != NULL; j++) {
			m->re[i][j] = re_compile(m->spec[i].pat[j],
			    RE_ICASE | RE_ANCHOR, &e);
			if (m->re[i][j] == NULL)
				cv_errx(EX_SOFTWARE, "built-in header pattern "
				    "for '%s': %s", m->spec[i].name, e.msg);
		}
	if (kind == KIND_TXN && (m->disc = re_compile(P_DISCOUNT, RE_ICASE |
	    RE_ANCHOR, &e)) == NULL)
		cv_errx(EX_SOFTWARE, "built-in discount pattern: %s", e.msg);
	return m;
}

void
hdrmap_free(struct hdrmap *m)
{
	int i, j;

	if (m == NULL)
		return;
	for (i = 0; i < m->nf; i++) {
		for (j = 0; j < NPAT; j++)
			re_free(m->re[i][j]);
		free(m->override[i]);
	}
	re_free(m->disc);
	free(m);
}

int
hdrmap_nfields(const struct hdrmap *m)
{
	return m->nf;
}

const char *
hdrmap_field(const struct hdrmap *m, int i)
{
	return m->spec[i].name;
}

int
hdrmap_required(const struct hdrmap *m, int i)
{
	return m->spec[i].required;
}

int
hdrmap_lookup(const struct hdrmap *m, const char *name)
{
	int i;

	for (i = 0; i < m->nf; i++)
		if (strcmp(m->spec[i].name, name) == 0)
			return i;
	return -1;
}

/* The length of a blank or a line break at p (before e), or 0. */
static size_t
blank_at(const char *p, const char *e)
{
	if (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		return 1;
	if (e - p >= 3 && memcmp(p, "\xe3\x80\x80", 3) == 0)	/* U+3000 */
		return 3;
	if (e - p >= 2 && memcmp(p, "\xc2\xa0", 2) == 0)	/* U+00A0 */
		return 2;
	return 0;
}

/*
 * The length of what may stand around a header name at p: a blank, a
 * quote, or an import template's mark for a column that must be filled
 * (*会员卡号, 会员卡号*, ＊).
 */
static size_t
edge_at(const char *p, const char *e)
{
	size_t k;

	if ((k = blank_at(p, e)) > 0)
		return k;
	if (p < e && (*p == '"' || *p == '\'' || *p == '*'))
		return 1;
	if (e - p >= 3 && memcmp(p, "\xef\xbc\x8a", 3) == 0)	/* U+FF0A */
		return 3;
	return 0;
}

/* The same at the end: the length of what ends just before e, or 0. */
static size_t
edge_before(const char *p, const char *e)
{
	if (e - p >= 3 && edge_at(e - 3, e) == 3)
		return 3;
	if (e - p >= 2 && edge_at(e - 2, e) == 2)
		return 2;
	if (e - p >= 1 && edge_at(e - 1, e) == 1)
		return 1;
	return 0;
}

size_t
hdrmap_norm(const char *cell, size_t n, char *out, size_t outsz)
{
	const char *p = cell, *e = cell + n;
	size_t k = 0, b;

	while ((b = edge_at(p, e)) > 0)
		p += b;
	while ((b = edge_before(p, e)) > 0)
		e -= b;
	/* A unit in brackets at the end: 金额(元), Amount (GBP), 金额（元） */
	if (e > p && e[-1] == ')') {
		const char *q = e - 1;

		while (q > p && *q != '(')
			q--;
		if (q > p && *q == '(')
			e = q;
	} else if (e - p >= 3 && memcmp(e - 3, "\xef\xbc\x89", 3) == 0) {
		const char *q = e - 3;

		while (q > p && !(e - q >= 3 && memcmp(q, "\xef\xbc\x88", 3) == 0))
			q--;
		if (q > p)
			e = q;
	}
	while ((b = edge_before(p, e)) > 0)
		e -= b;
	/*
	 * Blanks and line breaks inside the name count for nothing: forms
	 * pad two-character labels to line them up (性　别, 姓 名), and a
	 * long name wraps in its cell (会员\n等级).  The English synonyms
	 * take their words with or without a blank between them.
	 */
	while (p < e && k + 1 < outsz) {
		if ((b = blank_at(p, e)) > 0)
			p += b;
		else
			out[k++] = *p++;
	}
	out[k] = '\0';
	return k;
}

int
hdrmap_override(struct hdrmap *m, const char *spec, struct cv_error *e)
{
	const char *eq = strchr(spec, '=');
	char name[64];
	int i;

	if (eq == NULL || eq == spec || eq[1] == '\0')
		return cv_fail(e, EX_USAGE, "--map '%s': expected FIELD=HEADER",
		    spec);
	/* No field's name is that long: unknown, as a short one would be. */
	i = -1;
	if ((size_t)(eq - spec) < sizeof(name)) {
		memcpy(name, spec, (size_t)(eq - spec));
		name[eq - spec] = '\0';
		i = hdrmap_lookup(m, name);
	}
	if (i < 0) {
		char list[512];
		size_t k = 0;
		int j;

		list[0] = '\0';
		for (j = 0; j < m->nf && k < sizeof(list) - 32; j++)
			k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s",
			    j ? ", " : "", m->spec[j].name);
		return cv_fail(e, EX_USAGE, "--map: unknown %s field '%.*s' "
		    "(fields: %s)", kinds[m->kind].name, (int)(eq - spec), spec,
		    list);
	}
	free(m->override[i]);
	m->override[i] = xstrdup(eq + 1);
	return 0;
}

const char *
hdrmap_override_of(const struct hdrmap *m, int i)
{
	return i >= 0 && i < m->nf ? m->override[i] : NULL;
}

/* Is cell the header --map named for field i? */
static int
is_override(const struct hdrmap *m, int i, const char *cell, size_t n)
{
	char norm[256], o[256];
	size_t k, ok;

	if (m->override[i] == NULL ||
	    (k = hdrmap_norm(cell, n, norm, sizeof(norm))) == 0)
		return 0;
	ok = hdrmap_norm(m->override[i], strlen(m->override[i]), o, sizeof(o));
	return ok == k && strncasecmp(o, norm, k) == 0;
}

int
hdrmap_match(struct hdrmap *m, const char *cell, size_t n, int *prio)
{
	char norm[256];
	size_t k;
	int i, j, best = -1, bestp = 1000;

	k = hdrmap_norm(cell, n, norm, sizeof(norm));
	if (k == 0)
		return -1;
	for (i = 0; i < m->nf; i++)
		if (is_override(m, i, cell, n)) {
			*prio = -1;
			return i;
		}
	for (i = 0; i < m->nf; i++) {
		if (m->override[i] != NULL)
			continue;	/* the user said which column it is */
		for (j = 0; j < NPAT && m->re[i][j] != NULL && j < bestp; j++)
			if (re_match(m->re[i][j], norm, k) == 1) {
				best = i;
				bestp = j;
				break;
			}
	}
	*prio = bestp;
	return best;
}

int
hdrmap_could_be(struct hdrmap *m, int f, const char *cell, size_t n)
{
	char norm[256];
	size_t k;
	int j;

	if (f < 0 || f >= m->nf ||
	    (k = hdrmap_norm(cell, n, norm, sizeof(norm))) == 0)
		return -1;
	for (j = 0; j < NPAT && m->re[f][j] != NULL; j++)
		if (re_match(m->re[f][j], norm, k) == 1)
			return j;
	return -1;
}

int
hdrmap_discount(struct hdrmap *m, const char *cell, size_t n)
{
	char norm[256];
	size_t k;

	if (m->disc == NULL || (k = hdrmap_norm(cell, n, norm, sizeof(norm))) == 0)
		return 0;
	return re_match(m->disc, norm, k) == 1;
}

/* Two header cells that are one name once normalised (--map cannot
 * tell them apart). */
static int
same_name(const char *a, size_t an, const char *b, size_t bn)
{
	char na[256], nb[256];
	size_t ka = hdrmap_norm(a, an, na, sizeof(na));

	return hdrmap_norm(b, bn, nb, sizeof(nb)) == ka &&
	    strncasecmp(na, nb, ka) == 0;
}

int
hdrmap_header(struct hdrmap *m, const char *const *cells, const size_t *lens,
    int ncells, int *col, int *where, struct cv_error *e)
{
	int prio[HDRMAP_MAXF];
	int i, f, p, found = 0;
	char q1[CV_QUOTE_MAX], q2[CV_QUOTE_MAX];

	for (f = 0; f < m->nf; f++) {
		where[f] = -1;
		prio[f] = 1000;
	}
	for (i = 0; i < ncells; i++) {
		col[i] = -1;
		f = hdrmap_match(m, cells[i], lens[i], &p);
		if (f < 0)
			continue;
		if (where[f] >= 0 && prio[f] == p && same_name(cells[where[f]],
		    lens[where[f]], cells[i], lens[i]))
			return cv_fail(e, EX_DATAERR, "two columns are named "
			    "'%s', and either could be '%s': rename one of them",
			    cv_quote(q1, sizeof(q1), cells[i], lens[i]),
			    m->spec[f].name);
		if (where[f] >= 0 && prio[f] == p)
			return cv_fail(e, EX_DATAERR, "columns '%s' and '%s' "
			    "could both be '%s'; use --map %s=HEADER",
			    cv_quote(q1, sizeof(q1), cells[where[f]],
			    lens[where[f]]), cv_quote(q2, sizeof(q2), cells[i],
			    lens[i]), m->spec[f].name, m->spec[f].name);
		if (where[f] >= 0 && prio[f] < p)
			continue;
		if (where[f] >= 0)
			col[where[f]] = -1;
		else
			found++;
		where[f] = i;
		prio[f] = p;
		col[i] = f;
	}
	/*
	 * A member profile's mobile number is also the member id when no
	 * column names the member better (a card number): the column went
	 * to the phone, where it ranks first.  A bare 会员 it displaces holds
	 * the member's name, as a report writes 会员 beside 手机号, unless a
	 * column does.
	 */
	if (m->kind == KIND_MEMBERS && (i = where[MB_PHONE]) >= 0 &&
	    m->override[MB_CUSTOMER_ID] == NULL &&
	    (p = hdrmap_could_be(m, MB_CUSTOMER_ID, cells[i], lens[i])) >= 0 &&
	    p < prio[MB_CUSTOMER_ID]) {
		int old = where[MB_CUSTOMER_ID];

		if (old < 0)
			found++;
		else if (strcmp(m->spec[MB_CUSTOMER_ID].pat[prio[MB_CUSTOMER_ID]],
		    P_CUST_BARE) == 0 && where[MB_NAME] < 0 &&
		    m->override[MB_NAME] == NULL) {
			col[old] = MB_NAME;
			where[MB_NAME] = old;
			prio[MB_NAME] = 1000;
		} else
			col[old] = -1;
		where[MB_CUSTOMER_ID] = i;
		prio[MB_CUSTOMER_ID] = p;
	}
	/*
	 * One column --map gives to two fields (the mobile number that is
	 * the member id) serves both.
	 */
	for (f = 0; f < m->nf; f++)
		for (i = 0; where[f] < 0 && i < ncells; i++)
			if (is_override(m, f, cells[i], lens[i])) {
				where[f] = i;
				found++;
			}
	return found;
}

/*
 * Is the cell a name no field of the kind has, among its synonyms or
 * --map's headers?  A column some field could be, left for a better one
 * (单价 beside 金额, 联系时间 beside 联系日期, 门店 beside 门店编码), was
 * left on purpose.
 */
static int
names_nothing(struct hdrmap *m, const char *cell, size_t n)
{
	int f;

	for (f = 0; f < m->nf; f++)
		if (hdrmap_could_be(m, f, cell, n) >= 0 ||
		    is_override(m, f, cell, n))
			return 0;
	return 1;
}

int
hdrmap_unread(struct hdrmap *m, const char *const *cells, const size_t *lens,
    int ncells, const int *col, struct buf *out)
{
	char norm[256], q[CV_QUOTE_MAX];
	const char *p, *e;
	size_t b;
	int i, k = 0;

	for (i = 0; i < ncells; i++) {
		if (col[i] >= 0 || hdrmap_norm(cells[i], lens[i], norm,
		    sizeof(norm)) == 0 || !names_nothing(m, cells[i], lens[i]))
			continue;
		/* As written, blanks around it left out. */
		p = cells[i];
		e = cells[i] + lens[i];
		while ((b = blank_at(p, e)) > 0)
			p += b;
		while ((b = edge_before(p, e)) > 0 && blank_at(e - b, e) == b)
			e -= b;
		buf_printf(out, "%s%s", k++ > 0 ? ", " : "",
		    cv_quote(q, sizeof(q), p, (size_t)(e - p)));
	}
	return k;
}
