import { residentIdCheckChar } from '../subgraphs/kit/resident-id';
import { badInput } from '../platform/errors';
import { CREDIT_CODE_CHARSET, makeCreditCode } from '../platform/credit-code';
import { INDUSTRY_DIVISIONS } from '../subgraphs/kit/industry';
import type { EnterpriseScale, EnterpriseTag } from '../subgraphs/kit/enterprise-vocabulary';

/**
 * The demo population: deterministic enterprises for 兴国县 / 于都县 (and 赣州市 itself on request).
 * Every subgraph derives its demo records from this one population (the registry seeds it, the
 * tax bureau and the sources to come rate the same enterprises), so the demo graph is consistent.
 * Same options → byte-identical output, so docs, tests and benchmarks can name concrete records.
 * Everything here is invented; codes and ID numbers are valid by their checksums only.
 */

export type { EnterpriseScale, EnterpriseTag };

/** How many demo enterprises a demo database holds unless DEMO_ENTERPRISES says otherwise. */
export const DEFAULT_DEMO_ENTERPRISES = 2400;

export interface EnterpriseSeed {
  creditCode: string;
  name: string;
  legalRepresentative: string;
  legalRepresentativeIdNumber: string;
  /** YYYY-MM-DD */
  registeredOn: string;
  regionCode: string;
  industryCode: string;
  scale: EnterpriseScale;
  tags: EnterpriseTag[];
  bankName: string;
  bankAccount: string;
  address: string;
}

const DEFAULT_SEED = 360732;
/** The two counties; 赣州市-level enterprises only when asked for, so the default demo is county data. */
const DEFAULT_REGION_CODES = ['360732', '360731'];

// ---------------------------------------------------------------------------------------------
// Seeded randomness

type Weighted<T> = readonly (readonly [T, number])[];

const CUMULATIVE = new WeakMap<Weighted<unknown>, number[]>();

/** Tables are module constants (or built once per run), so their running sums are computed once. */
function cumulativeWeights(table: Weighted<unknown>): number[] {
  let cumulative = CUMULATIVE.get(table);
  if (!cumulative) {
    let sum = 0;
    cumulative = table.map(([, weight]) => (sum += weight));
    CUMULATIVE.set(table, cumulative);
  }
  return cumulative;
}

/** Seeded randomness for demo data (sources draw their own per enterprise: sources/kit/seed.ts). */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast, and good enough for demo data; [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<T>(table: Weighted<T>): T {
    const cumulative = cumulativeWeights(table);
    const roll = this.next() * cumulative[cumulative.length - 1];
    // Binary search: the division table is long and this runs several times per enterprise.
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (roll < cumulative[mid]) hi = mid;
      else lo = mid + 1;
    }
    return table[lo][0];
  }

  digits(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += String(this.int(0, 9));
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Regions

interface RegionProfile {
  code: string;
  /** In enterprise names: 兴国XX有限公司. */
  short: string;
  /** In cooperative and individual-business names: 兴国县XX专业合作社. */
  full: string;
  weight: number;
  /** Address down to the county (for the city: down to the city). */
  addressPrefix: string;
  /** Where the county seat's streets are: its town, or for the city its central district. */
  seatTown: string;
  seatStreets: string[];
  /** Where most factories are. */
  industrialPark: string;
  parkStreets: string[];
  towns: string[];
  banks: Weighted<string>;
  /** Where legal representatives were registered at birth: mostly local, some from elsewhere in Jiangxi. */
  birthRegions: Weighted<string>;
}

/** Other Jiangxi county-level codes a legal representative may come from. */
const ELSEWHERE_IN_JIANGXI: Weighted<string> = [
  ['360702', 3], // 章贡区
  ['360703', 1], // 南康区
  ['360704', 1], // 赣县区
  ['360722', 1], // 信丰县
  ['360730', 1], // 宁都县
  ['360733', 1], // 会昌县
  ['360781', 1], // 瑞金市
  ['360121', 1], // 南昌县
];

const localOrigin = (code: string): Weighted<string> => [[code, 30], ...ELSEWHERE_IN_JIANGXI];

const REGION_PROFILES: RegionProfile[] = [
  {
    code: '360732',
    short: '兴国',
    full: '兴国县',
    weight: 2,
    addressPrefix: '江西省赣州市兴国县',
    seatTown: '潋江镇',
    seatStreets: ['将军大道', '文昌路', '平川大道', '红军路', '兴国大道', '国庆路', '解放路', '滨江大道', '长冈路', '横街'],
    industrialPark: '经济开发区',
    parkStreets: ['工业大道', '兴业路', '创业路', '富民路', '科技大道', '鼎龙路'],
    towns: ['江背镇', '高兴镇', '龙口镇', '良村镇', '古龙岗镇', '梅窖镇', '长冈乡', '埠头乡', '鼎龙乡', '均村乡',
      '杰村乡', '社富乡', '崇贤乡', '枫边乡', '方太乡', '城岗乡', '樟木乡', '东村乡', '兴江乡', '永丰乡', '茶园乡'],
    banks: [
      ['江西兴国农村商业银行营业部', 5],
      ['中国农业银行兴国县支行', 3],
      ['中国工商银行兴国支行', 3],
      ['中国建设银行兴国支行', 3],
      ['中国银行兴国支行', 2],
      ['中国邮政储蓄银行兴国县支行', 2],
      ['赣州银行兴国支行', 2],
      ['九江银行兴国支行', 1],
    ],
    birthRegions: localOrigin('360732'),
  },
  {
    code: '360731',
    short: '于都',
    full: '于都县',
    weight: 1,
    addressPrefix: '江西省赣州市于都县',
    seatTown: '贡江镇',
    seatStreets: ['长征大道', '红旗大道', '于都大道', '渡江大道', '中山路', '建国路', '胜利路', '环城路', '濂溪路'],
    industrialPark: '工业园',
    parkStreets: ['园区大道', '纺织大道', '兴业路', '创新路', '工业路'],
    towns: ['罗坳镇', '银坑镇', '岭背镇', '梓山镇', '禾丰镇', '盘古山镇', '铁山垅镇', '车溪乡', '段屋乡', '仙下乡',
      '黄麟乡', '葛坳乡', '小溪乡', '利村乡', '新陂乡', '桥头乡', '宽田乡', '沙心乡', '马安乡'],
    banks: [
      ['江西于都农村商业银行营业部', 5],
      ['中国农业银行于都县支行', 3],
      ['中国建设银行于都支行', 3],
      ['中国工商银行于都支行', 3],
      ['中国银行于都支行', 2],
      ['中国邮政储蓄银行于都县支行', 2],
      ['赣州银行于都支行', 2],
    ],
    birthRegions: localOrigin('360731'),
  },
  {
    code: '360700',
    short: '赣州',
    full: '赣州市',
    weight: 1,
    addressPrefix: '江西省赣州市',
    seatTown: '章贡区',
    seatStreets: ['红旗大道', '长征大道', '文清路', '章江路', '赣江源大道', '厚德路', '兴国路', '青年路'],
    industrialPark: '赣州经济技术开发区',
    parkStreets: ['金岭西路', '华坚北路', '迎宾大道', '工业二路', '香港工业园北路'],
    towns: ['章贡区沙石镇', '章贡区水东镇', '章贡区水南镇'],
    banks: [
      ['赣州银行营业部', 4],
      ['中国工商银行赣州分行营业部', 3],
      ['中国建设银行赣州分行营业部', 3],
      ['中国农业银行赣州分行营业部', 2],
      ['中国银行赣州市分行营业部', 2],
      ['江西赣州农村商业银行营业部', 2],
    ],
    birthRegions: localOrigin('360702'),
  },
];

/** The regions the demo population can be drawn from (each is a region of the platform directory). */
export const DEMO_REGION_CODES = REGION_PROFILES.map((r) => r.code);


/**
 * Account length and leading digits by bank brand; the lengths are in the range real corporate
 * accounts have, the leading digits are illustrative only.
 */
const BANK_ACCOUNT_FORMATS: { brand: string; prefix: string; length: number }[] = [
  { brand: '中国工商银行', prefix: '1508', length: 19 },
  { brand: '中国农业银行', prefix: '1443', length: 17 },
  { brand: '中国建设银行', prefix: '3605', length: 19 },
  { brand: '中国银行', prefix: '1915', length: 18 },
  { brand: '中国邮政储蓄银行', prefix: '9360', length: 18 },
  { brand: '赣州银行', prefix: '8060', length: 16 },
  { brand: '九江银行', prefix: '7360', length: 16 },
  { brand: '农村商业银行', prefix: '1502', length: 19 },
];

// ---------------------------------------------------------------------------------------------
// Industries, weighted to a county economy in southern Jiangxi

interface DivisionProfile {
  division: string;
  weight: number;
  /** Industry words for company names, e.g. 电子科技 in 兴国华宇电子科技有限公司. */
  words: string[];
  /** Words for a 农民专业合作社 (entity type 93), only where cooperatives exist. */
  cooperativeWords?: string[];
  /** Words for a 个体工商户 (entity type 92), only where they are typical. */
  shopWords?: string[];
}

const DIVISION_PROFILES: DivisionProfile[] = [
  // A: 脐橙, 油茶, 兴国灰鹅 and 兴国红鲤鱼 are the local specialities
  { division: '01', weight: 5, words: ['生态农业', '农业开发', '脐橙', '油茶', '蔬菜'], cooperativeWords: ['脐橙种植', '油茶种植', '蔬菜种植', '水稻种植', '茶叶种植'] },
  { division: '02', weight: 1.5, words: ['林业', '苗木', '竹业'], cooperativeWords: ['苗木', '林业'] },
  { division: '03', weight: 3, words: ['牧业', '生态养殖', '畜牧'], cooperativeWords: ['灰鹅养殖', '生猪养殖', '肉牛养殖', '蛋鸡养殖'] },
  { division: '04', weight: 1.5, words: ['水产', '渔业'], cooperativeWords: ['红鲤鱼养殖', '水产养殖'] },
  { division: '05', weight: 0.5, words: ['农业服务', '农机服务'], cooperativeWords: ['农机服务', '植保服务'] },
  // B: 于都 tungsten, building stone
  { division: '09', weight: 0.6, words: ['矿业', '钨业'] },
  { division: '10', weight: 0.8, words: ['石材', '砂石', '矿业'] },
  // C
  { division: '13', weight: 3, words: ['食品', '粮油', '农产品加工', '米业'] },
  { division: '14', weight: 1.5, words: ['食品', '食品科技'] },
  { division: '15', weight: 1.2, words: ['茶业', '酒业', '饮品'] },
  { division: '17', weight: 1, words: ['纺织'] },
  // 于都 is a garment-making county
  { division: '18', weight: 4, words: ['服饰', '服装', '制衣'] },
  { division: '19', weight: 0.8, words: ['鞋业', '皮具'] },
  { division: '20', weight: 1.2, words: ['木业', '竹木制品'] },
  { division: '21', weight: 1.5, words: ['家具', '家居'] },
  { division: '22', weight: 0.6, words: ['纸业', '包装'] },
  { division: '23', weight: 0.6, words: ['印务', '彩印'] },
  { division: '24', weight: 0.4, words: ['文体用品', '工艺'] },
  { division: '26', weight: 1, words: ['化工', '新材料'] },
  { division: '27', weight: 0.6, words: ['药业', '生物医药'] },
  { division: '29', weight: 1, words: ['塑业', '橡塑制品'] },
  { division: '30', weight: 2.5, words: ['建材', '新型建材', '陶瓷'] },
  { division: '32', weight: 1.2, words: ['稀土新材料', '有色金属', '钨业', '新材料'] },
  { division: '33', weight: 2, words: ['金属制品', '五金'] },
  { division: '34', weight: 2, words: ['机械制造', '机械设备'] },
  { division: '35', weight: 1.2, words: ['智能装备', '机械'] },
  { division: '36', weight: 0.8, words: ['汽车部件', '汽配'] },
  { division: '38', weight: 1.5, words: ['电气', '电机', '新能源科技'] },
  { division: '39', weight: 2, words: ['电子科技', '光电', '电子'] },
  { division: '40', weight: 0.3, words: ['仪器仪表'] },
  { division: '41', weight: 0.4, words: ['工艺品'] },
  { division: '42', weight: 0.5, words: ['再生资源', '资源回收'] },
  { division: '43', weight: 0.4, words: ['机电设备维修'] },
  // D
  { division: '44', weight: 0.6, words: ['电力', '新能源', '光伏发电'] },
  { division: '45', weight: 0.2, words: ['燃气'] },
  { division: '46', weight: 0.2, words: ['水务', '供水'] },
  // E
  { division: '47', weight: 3, words: ['建筑工程', '建设'] },
  { division: '48', weight: 2.5, words: ['路桥工程', '市政工程', '水利水电工程'] },
  { division: '49', weight: 1.5, words: ['安装工程', '机电安装'] },
  { division: '50', weight: 2.5, words: ['装饰工程', '装饰设计'] },
  // F
  { division: '51', weight: 10, words: ['商贸', '贸易', '农产品贸易', '医药贸易', '建材贸易'] },
  { division: '52', weight: 10, words: ['商贸', '超市', '百货', '连锁'], shopWords: ['便利店', '商行', '超市'] },
  // G
  { division: '54', weight: 2.5, words: ['运输', '物流', '客运'] },
  { division: '58', weight: 0.4, words: ['货运代理'] },
  { division: '59', weight: 0.8, words: ['仓储', '物流'] },
  { division: '60', weight: 0.3, words: ['快递'] },
  // H
  { division: '61', weight: 1.2, words: ['酒店', '宾馆'] },
  { division: '62', weight: 3, words: ['餐饮', '餐饮管理', '食府'], shopWords: ['饭店', '小吃店', '餐馆'] },
  // I
  { division: '63', weight: 0.4, words: ['通信工程', '网络'] },
  { division: '64', weight: 0.8, words: ['网络科技', '互联网科技'] },
  { division: '65', weight: 1.5, words: ['信息技术', '软件', '数字科技'] },
  // K
  { division: '70', weight: 1.5, words: ['房地产开发', '置业', '物业管理'] },
  // L
  { division: '71', weight: 0.6, words: ['租赁', '设备租赁'] },
  { division: '72', weight: 3, words: ['商务咨询', '企业管理', '广告', '人力资源', '文化传媒'] },
  // M
  { division: '73', weight: 0.6, words: ['科技研发', '生物科技'] },
  { division: '74', weight: 1, words: ['检测技术', '工程设计', '测绘'] },
  { division: '75', weight: 1.2, words: ['科技', '技术服务'] },
  // N
  { division: '77', weight: 0.6, words: ['环保科技', '环境工程'] },
  { division: '78', weight: 0.8, words: ['园林绿化', '市政管理'] },
  // O
  { division: '80', weight: 0.8, words: ['家政服务', '保洁服务'], shopWords: ['家政服务部'] },
  { division: '81', weight: 1.2, words: ['汽车服务', '汽车维修'], shopWords: ['汽车维修部', '摩托车维修店'] },
  // P, Q, R
  { division: '83', weight: 0.4, words: ['教育科技', '教育咨询'] },
  { division: '84', weight: 0.4, words: ['医疗管理', '健康管理'] },
  { division: '85', weight: 0.3, words: ['养老服务'] },
  { division: '87', weight: 0.4, words: ['影视传媒'] },
  { division: '88', weight: 0.4, words: ['文化艺术', '红色文化'] },
  { division: '89', weight: 0.2, words: ['体育发展'] },
];

const SECTION_OF_DIVISION = new Map(INDUSTRY_DIVISIONS.map((d) => [d.code, d.section]));
const sectionOf = (division: string): string => {
  const section = SECTION_OF_DIVISION.get(division);
  if (!section) throw new Error(`demo data names unknown GB/T 4754 division ${division}`);
  return section;
};
const DIVISION_TABLE: Weighted<DivisionProfile> = DIVISION_PROFILES.map((p) => [p, p.weight] as const);

/** Sections where a technology tag (高新/专精特新/科技型中小) is plausible. */
const TECH_SECTIONS = new Set(['C', 'I', 'M']);
/** Sections where a county has LARGE enterprises at all; elsewhere LARGE is demoted to MEDIUM. */
const LARGE_SECTIONS = new Set(['B', 'C', 'D', 'E', 'F', 'G', 'K']);
/** Export-oriented manufacturing: textiles, garments, shoes, toys, rare earth/tungsten, electronics, crafts. */
const EXPORT_DIVISIONS = new Set(['17', '18', '19', '24', '32', '39', '41']);

// ---------------------------------------------------------------------------------------------
// Names

/** Curated 字号 (brand names) that read like real ones. */
const BRANDS = [
  '鑫达', '宏盛', '华宇', '恒通', '瑞丰', '嘉禾', '永盛', '金诚', '隆昌', '富源', '兴旺', '天润', '泰和', '正邦',
  '明德', '博远', '鸿运', '盛世', '长青', '汇通', '安泰', '中恒', '信诚', '聚力', '东方', '海纳', '利民', '万顺',
  '星辰', '锦绣', '福瑞', '德润', '金源', '新华', '益康', '百川', '和顺', '宝丰', '润泽', '方正', '卓越', '远航',
  '华联', '顺发', '佳美', '裕丰', '丰泰', '腾飞', '祥和', '绿源', '红星', '兆丰', '鼎盛', '怡和', '晶鑫', '联创',
  '新宇', '美佳', '志成', '赣兴', '客家', '赣南', '宏图', '广源', '金鹏', '荣昌', '同创', '文华', '达远', '盈泰',
  '恒昌', '伟业', '康达', '亿通', '凯旋', '启航', '俊达', '华茂', '诚信', '旭日',
];
/** When the curated brands are used up for a trade, compose a brand from two auspicious characters. */
const BRAND_FIRST = [...'华宏鑫恒瑞嘉永金隆富天泰正明博鸿盛长汇安中信聚海利万星锦福德益百和宝润卓佳裕祥鼎兆'];
const BRAND_SECOND = [...'达盛宇通丰禾诚昌源旺润和邦德远运世青泰恒力纳民顺辰瑞康川泽越航联发美创飞晟凯鹏'];

const CURATED_BRAND_ATTEMPTS = 8;
const COMPOSED_BRAND_ATTEMPTS = 60;

function brand(rng: Random, attempt: number): string {
  if (attempt < CURATED_BRAND_ATTEMPTS) return rng.pick(BRANDS);
  const composed = () => {
    const first = rng.pick(BRAND_FIRST);
    let second = rng.pick(BRAND_SECOND);
    while (second === first) second = rng.pick(BRAND_SECOND);
    return first + second;
  };
  // Beyond that (only in very large sets) a three-character brand, as real registrars then require.
  return attempt < CURATED_BRAND_ATTEMPTS + COMPOSED_BRAND_ATTEMPTS ? composed() : composed() + rng.pick(BRAND_SECOND);
}

type EntityKind = 'COMPANY' | 'COOPERATIVE' | 'INDIVIDUAL';
/** Second char of the credit code (registering authority 9 = 市场监管/工商). */
const ENTITY_TYPE_CHAR: Record<EntityKind, string> = { COMPANY: '1', INDIVIDUAL: '2', COOPERATIVE: '3' };

const FORMS_SMALL: Weighted<string> = [['有限公司', 70], ['有限责任公司', 28], ['股份有限公司', 2]];
const FORMS_BIG: Weighted<string> = [['有限公司', 50], ['有限责任公司', 25], ['股份有限公司', 25]];

function organisationalForm(rng: Random, scale: EnterpriseScale, tags: EnterpriseTag[]): string {
  // Only a 股份有限公司 can list on an exchange.
  if (tags.includes('LISTED')) return '股份有限公司';
  const big = scale === 'LARGE' || scale === 'MEDIUM';
  return rng.weighted(big ? FORMS_BIG : FORMS_SMALL);
}

function uniqueName(rng: Random, used: Set<string>, compose: (brandName: string) => string): string {
  for (let attempt = 0; ; attempt++) {
    const name = compose(brand(rng, attempt));
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// People: 赣南 is Hakka country, so 钟 谢 曾 邱 肖 赖 温 廖 are as common as the national top surnames.

const SURNAMES: Weighted<string> = [
  ['王', 5], ['李', 6], ['张', 4], ['刘', 7], ['陈', 8], ['杨', 3], ['黄', 6], ['赵', 2], ['吴', 3], ['周', 3],
  ['徐', 2], ['孙', 1], ['马', 1], ['朱', 2], ['胡', 3], ['郭', 2], ['何', 2], ['高', 1], ['林', 2], ['罗', 4],
  ['钟', 7], ['谢', 6], ['曾', 6], ['邱', 4], ['肖', 5], ['赖', 4], ['温', 3], ['廖', 4], ['叶', 2], ['邹', 2],
  ['彭', 2], ['蔡', 1], ['袁', 1], ['郑', 1], ['傅', 1], ['欧阳', 1],
];
const MALE_GIVEN = [...'伟强军勇杰涛明超辉华平刚斌鹏俊峰建国文志海波林东宏亮成龙飞兵家荣德福春生'];
const FEMALE_GIVEN = [...'芳娟敏静丽艳秀英华玲燕霞红梅兰琴凤珍莉婷慧洁雪萍颖倩雯'];

function givenName(rng: Random, pool: string[]): string {
  return rng.chance(0.75) ? rng.pick(pool) + rng.pick(pool) : rng.pick(pool);
}

/** GB 11643-1999 居民身份证号码: region(6) + birth date(8) + sequence(3, odd = male) + check. */
function idNumber(regionCode: string, birth: string, sequence: number): string {
  const first17 = regionCode + birth.replace(/-/g, '') + String(sequence).padStart(3, '0');
  return first17 + residentIdCheckChar(first17);
}

// ---------------------------------------------------------------------------------------------
// Dates

const FIRST_YEAR = 2000;
const LAST_YEAR = 2025;
/** Registrations grew year on year (商事制度改革 from 2014 especially), so later years weigh more. */
const YEAR_TABLE: Weighted<number> = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => {
  const year = FIRST_YEAR + i;
  return [year, year < 2014 ? 1 + i * 0.15 : 3 + (year - 2014) * 0.25] as const;
});
/** 农民专业合作社 exist since the cooperatives law took effect on 2007-07-01. */
const COOPERATIVE_YEAR_TABLE: Weighted<number> = YEAR_TABLE.filter(([year]) => year >= 2008);
/** Codes issued after the 2015 reform carry a new "MA…" organization code instead of an old one. */
const UNIFIED_CODE_FROM = '2015-10-01';

/** A random date in the given year (UTC arithmetic: no time zone can shift it). */
function dateInYear(rng: Random, year: number): string {
  const start = Date.UTC(year, 0, 1);
  const days = Math.round((Date.UTC(year + 1, 0, 1) - start) / 86_400_000);
  return new Date(start + rng.int(0, days - 1) * 86_400_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Enterprise attributes

const SCALE_TABLE: Weighted<EnterpriseScale> = [['MICRO', 58], ['SMALL', 29], ['MEDIUM', 11], ['LARGE', 2]];

function pickScale(rng: Random, kind: EntityKind, section: string): EnterpriseScale {
  if (kind === 'INDIVIDUAL') return 'MICRO';
  if (kind === 'COOPERATIVE') return rng.chance(0.1) ? 'SMALL' : 'MICRO';
  const scale = rng.weighted(SCALE_TABLE);
  return scale === 'LARGE' && !LARGE_SECTIONS.has(section) ? 'MEDIUM' : scale;
}

/** Probability of each tag by scale; `0` where the tag cannot apply (e.g. 专精特新 is for SMEs only). */
const TECH_TAG_RATES: Record<'HIGH_TECH' | 'SRDI' | 'TECH_SME', Record<EnterpriseScale, number>> = {
  HIGH_TECH: { LARGE: 0.5, MEDIUM: 0.35, SMALL: 0.18, MICRO: 0.03 },
  SRDI: { LARGE: 0, MEDIUM: 0.2, SMALL: 0.1, MICRO: 0.005 },
  TECH_SME: { LARGE: 0, MEDIUM: 0.25, SMALL: 0.22, MICRO: 0.08 },
};

const TAG_ORDER: EnterpriseTag[] = ['HIGH_TECH', 'SRDI', 'ABOVE_SCALE', 'LISTED', 'TECH_SME', 'FOREIGN_TRADE'];
/**
 * Some tags need operating history (高新 a year, 专精特新 about three, an IPO several): a firm
 * registered on or after the date cannot carry the tag.
 */
const REGISTERED_BEFORE: Partial<Record<EnterpriseTag, string>> = {
  HIGH_TECH: '2025-01-01',
  SRDI: '2023-01-01',
  LISTED: '2020-01-01',
};

interface TagInput {
  kind: EntityKind;
  division: string;
  section: string;
  scale: EnterpriseScale;
  registeredOn: string;
}

function pickTags(rng: Random, { kind, division, section, scale, registeredOn }: TagInput): EnterpriseTag[] {
  if (kind !== 'COMPANY') return [];
  const tags = new Set<EnterpriseTag>();
  if (TECH_SECTIONS.has(section)) {
    for (const tag of ['HIGH_TECH', 'SRDI', 'TECH_SME'] as const) {
      if (rng.chance(TECH_TAG_RATES[tag][scale])) tags.add(tag);
    }
  }
  // 规上 is a revenue threshold; SMALL by headcount can pass it, industry most often.
  const industrial = section === 'B' || section === 'C' || section === 'D';
  const aboveScale =
    scale === 'LARGE' ||
    (scale === 'MEDIUM' && rng.chance(0.85)) ||
    (scale === 'SMALL' && rng.chance(industrial ? 0.35 : 0.08));
  if (aboveScale) tags.add('ABOVE_SCALE');
  if (scale === 'LARGE' && rng.chance(0.15)) tags.add('LISTED');
  const exportRate = EXPORT_DIVISIONS.has(division) ? 0.12 : section === 'C' || division === '51' ? 0.04 : 0;
  if (rng.chance(scale === 'MICRO' ? exportRate / 3 : exportRate)) tags.add('FOREIGN_TRADE');
  return TAG_ORDER.filter((t) => tags.has(t) && registeredOn < (REGISTERED_BEFORE[t] ?? '9999'));
}

function pickKind(rng: Random, profile: DivisionProfile): EntityKind {
  if (profile.cooperativeWords && rng.chance(0.3)) return 'COOPERATIVE';
  if (profile.shopWords && rng.chance(0.1)) return 'INDIVIDUAL';
  return 'COMPANY';
}

const CODE_CHARS = [...CREDIT_CODE_CHARSET];

/** Organization code body (positions 9–16): old-style 8 digits before the reform, "MA3x…" after. */
function orgBody(rng: Random, registeredOn: string): string {
  if (registeredOn < UNIFIED_CODE_FROM) return rng.pick(['3', '5', '6', '7']) + rng.digits(7);
  let body = 'MA3' + rng.pick(['5', '7', '8', '9']);
  for (let i = 0; i < 4; i++) body += rng.pick(CODE_CHARS);
  return body;
}

function uniqueCreditCode(rng: Random, used: Set<string>, kind: EntityKind, regionCode: string, registeredOn: string): string {
  for (;;) {
    const code = makeCreditCode({
      authority: '9',
      entityType: ENTITY_TYPE_CHAR[kind],
      regionCode,
      orgBody8: orgBody(rng, registeredOn),
    });
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
}

const TOWN_STREETS = ['圩镇街', '新街', '老街', '建设路', '人民路', '环镇路'];
const VILLAGES = ['坪上', '塘背', '下坝', '上屋', '社岗', '高田', '水口', '石门', '大坪', '龙山', '田心', '长岭', '新屋', '桥头'];

type Place = 'SEAT' | 'PARK' | 'TOWN' | 'VILLAGE';
const PLACES_FARM: Weighted<Place> = [['VILLAGE', 8], ['TOWN', 1], ['SEAT', 1]];
const PLACES_FACTORY: Weighted<Place> = [['PARK', 7], ['SEAT', 2], ['TOWN', 1]];
const PLACES_OTHER: Weighted<Place> = [['SEAT', 8], ['TOWN', 2]];

function address(rng: Random, region: RegionProfile, section: string): string {
  const no = `${rng.int(1, 388)}号`;
  const where = rng.weighted(section === 'A' ? PLACES_FARM : section === 'C' ? PLACES_FACTORY : PLACES_OTHER);
  switch (where) {
    case 'PARK':
      return `${region.addressPrefix}${region.industrialPark}${rng.pick(region.parkStreets)}${no}`;
    case 'TOWN':
      return `${region.addressPrefix}${rng.pick(region.towns)}${rng.pick(TOWN_STREETS)}${no}`;
    case 'VILLAGE':
      return `${region.addressPrefix}${rng.pick(region.towns)}${rng.pick(VILLAGES)}村${rng.int(1, 12)}组`;
    case 'SEAT':
      return `${region.addressPrefix}${region.seatTown}${rng.pick(region.seatStreets)}${no}`;
  }
}

function bankAccount(rng: Random, bankName: string): string {
  const format = BANK_ACCOUNT_FORMATS.find((f) => bankName.includes(f.brand));
  if (!format) throw new Error(`no account format for demo bank ${bankName}`);
  return format.prefix + rng.digits(format.length - format.prefix.length);
}

// ---------------------------------------------------------------------------------------------
// Assembly

interface Overrides {
  regionCode?: string;
  division?: string;
  registeredYear?: number;
  scale?: EnterpriseScale;
  tags?: EnterpriseTag[];
  brand?: string;
  word?: string;
  form?: string;
}

/** The first enterprise of every set: a showcase for docs (兴国 electronics, SMALL, 高新+专精特新+规上). */
const FLAGSHIP: Overrides = {
  regionCode: '360732',
  division: '39',
  registeredYear: 2016,
  scale: 'SMALL',
  tags: ['HIGH_TECH', 'SRDI', 'ABOVE_SCALE'],
  brand: '华宇',
  word: '电子科技',
  form: '有限公司',
};

interface Context {
  rng: Random;
  regions: RegionProfile[];
  regionTable: Weighted<RegionProfile>;
  usedCodes: Set<string>;
  usedNames: Set<string>;
}

function enterpriseName(
  ctx: Context,
  region: RegionProfile,
  profile: DivisionProfile,
  kind: EntityKind,
  form: string,
  overrides: Overrides,
): string {
  const { rng, usedNames } = ctx;
  if (overrides.brand && overrides.word) {
    // Only the first enterprise has overrides, so its fixed name cannot be taken yet.
    const fixed = region.short + overrides.brand + overrides.word + (overrides.form ?? form);
    usedNames.add(fixed);
    return fixed;
  }
  switch (kind) {
    case 'COOPERATIVE':
      return uniqueName(rng, usedNames, (b) => `${region.full}${b}${rng.pick(profile.cooperativeWords!)}专业合作社`);
    case 'INDIVIDUAL':
      return uniqueName(rng, usedNames, (b) => `${region.full}${b}${rng.pick(profile.shopWords!)}`);
    case 'COMPANY':
      return uniqueName(rng, usedNames, (b) => `${region.short}${b}${rng.pick(profile.words)}${form}`);
  }
}

function makeEnterprise(ctx: Context, overrides: Overrides = {}): EnterpriseSeed {
  const { rng } = ctx;
  const region = ctx.regions.find((r) => r.code === overrides.regionCode) ?? rng.weighted(ctx.regionTable);
  const profile = DIVISION_PROFILES.find((p) => p.division === overrides.division) ?? rng.weighted(DIVISION_TABLE);
  const section = sectionOf(profile.division);
  const kind = overrides.division ? 'COMPANY' : pickKind(rng, profile);
  const years = kind === 'COOPERATIVE' ? COOPERATIVE_YEAR_TABLE : YEAR_TABLE;
  const registeredOn = dateInYear(rng, overrides.registeredYear ?? rng.weighted(years));
  const scale = overrides.scale ?? pickScale(rng, kind, section);
  const tags = overrides.tags ?? pickTags(rng, { kind, division: profile.division, section, scale, registeredOn });

  const name = enterpriseName(ctx, region, profile, kind, organisationalForm(rng, scale, tags), overrides);

  // A legal representative is at least 20 when the enterprise is registered.
  const male = rng.chance(0.72);
  const registeredYear = Number(registeredOn.slice(0, 4));
  const birth = dateInYear(rng, rng.int(1960, Math.min(1995, registeredYear - 20)));
  const sequence = male ? rng.int(0, 499) * 2 + 1 : rng.int(1, 499) * 2;
  const legalRepresentative = rng.weighted(SURNAMES) + givenName(rng, male ? MALE_GIVEN : FEMALE_GIVEN);
  const legalRepresentativeIdNumber = idNumber(rng.weighted(region.birthRegions), birth, sequence);

  const creditCode = uniqueCreditCode(rng, ctx.usedCodes, kind, region.code, registeredOn);
  const bankName = rng.weighted(region.banks);

  return {
    creditCode,
    name,
    legalRepresentative,
    legalRepresentativeIdNumber,
    registeredOn,
    regionCode: region.code,
    industryCode: section + profile.division,
    scale,
    tags,
    bankName,
    bankAccount: bankAccount(rng, bankName),
    address: address(rng, region, section),
  };
}

export interface GenerateOptions {
  count: number;
  seed?: number;
  /** Region each enterprise is registered in; default 兴国县 and 于都县, about 2:1. */
  regionCodes?: string[];
}

/**
 * One enterprise at a time, so a CLI can stream 100k rows without holding them; uniqueness
 * bookkeeping (two sets of strings) is the only state that grows.
 */
export function* iterateEnterprises(options: GenerateOptions): Generator<EnterpriseSeed> {
  const { count, seed = DEFAULT_SEED, regionCodes = DEFAULT_REGION_CODES } = options;
  if (!Number.isSafeInteger(count) || count < 0) throw badInput(`企业数量须为非负整数，收到 ${count}`, { count });
  if (regionCodes.length === 0) throw badInput('至少需要一个地区代码');
  const regions = [...new Set(regionCodes)].map((code) => {
    const region = REGION_PROFILES.find((r) => r.code === code);
    if (!region) {
      throw badInput(`没有地区 ${code} 的演示数据，可用：${REGION_PROFILES.map((r) => `${r.code} ${r.full}`).join('、')}`, { code });
    }
    return region;
  });
  const ctx: Context = {
    rng: new Random(seed),
    regions,
    regionTable: regions.map((r) => [r, r.weight] as const),
    usedCodes: new Set(),
    usedNames: new Set(),
  };
  // The showcase moves to the first requested region when 兴国 is not among them.
  const flagshipRegion = regions.some((r) => r.code === FLAGSHIP.regionCode) ? FLAGSHIP.regionCode : regions[0].code;
  for (let i = 0; i < count; i++) {
    yield makeEnterprise(ctx, i === 0 ? { ...FLAGSHIP, regionCode: flagshipRegion } : {});
  }
}

export function generateEnterprises(options: GenerateOptions): EnterpriseSeed[] {
  return [...iterateEnterprises(options)];
}
