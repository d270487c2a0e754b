import type { AmountRule, Condition } from '../condition-checks';
import type { PolicyMode } from '../policy.entity';

/**
 * The demo catalog: realistic county policies of 兴国县 (and a few of 于都县). Legal bases are
 * invented but shaped like the real documents (兴府发〔2025〕8号 …). Conditions are in the condition
 * language over the indicator registry; amounts in fen.
 */
export interface DemoPolicy {
  id: string;
  department: string; // abbreviation; region from the id prefix
  mode: PolicyMode;
  title: string;
  basis: [string, string];
  beneficiaries: string;
  conditionsText: string;
  conditions: Condition;
  amountRule: AmountRule;
  amountText: string;
  industries?: string[];
  scales?: string[];
  tags?: string[];
  status?: 'DRAFT' | 'CONSULTATION' | 'CONSULTATION_TWO_APPROVED';
  level?: 'CITY';
  /** 容缺受理: a further required material of the guide that the window may accept as missing, to be supplied later. */
  deferrable?: string;
}

const c = (indicator: string, op: string, value: unknown): Condition => ({ indicator, op, value }) as Condition;
const all = (...list: Condition[]): Condition => ({ all: list });
const any = (...list: Condition[]): Condition => ({ any: list });
const yuan = (wan: number) => wan * 10_000 * 100; // 万元 → fen
const fixed = (wan: number): AmountRule => ({ kind: 'FIXED', amountFen: yuan(wan) });
const XG = c('regionCode', 'eq', '360732');
const YD = c('regionCode', 'eq', '360731');
const honest = c('credit.onDishonestyList', 'eq', false);
const registeredYear = c('registeredOn', 'lte', { relative: 'today', offsetYears: -1 });

const INDUSTRY = '《兴国县促进工业高质量发展若干政策措施》';
const INDUSTRY_NO = '兴府发〔2025〕8号';
const TECH = '《兴国县加快科技创新推动高质量发展若干措施》';
const TECH_NO = '兴府办发〔2025〕12号';
const OPEN = '《兴国县推动开放型经济高质量发展若干措施》';
const OPEN_NO = '兴府发〔2025〕15号';
const JOBS = '《兴国县稳就业促创业若干政策措施》';
const JOBS_NO = '兴府办字〔2025〕21号';

export const DEMO_CATALOG: DemoPolicy[] = [
  {
    id: 'XG-2026-001', department: 'MIIT', mode: 'NO_APPLICATION', title: '新升规工业企业奖励（入规奖励）', basis: [INDUSTRY, INDUSTRY_NO],
    beneficiaries: '当年首次纳入规模以上工业统计的本县工业企业', conditionsText: '在兴国县登记注册；当年新纳入规上工业统计；未列入失信被执行人名单',
    conditions: all(XG, c('statistics.aboveScaleSince', 'eq', { relative: 'currentYear' }), honest), amountRule: fixed(10), amountText: '一次性奖励 10 万元', industries: ['C'], tags: ['ABOVE_SCALE'],
  },
  {
    id: 'XG-2026-002', department: 'SCITECH', mode: 'NO_APPLICATION', title: '高新技术企业认定奖励', basis: [TECH, TECH_NO],
    beneficiaries: '首次通过国家高新技术企业认定的本县企业', conditionsText: '在兴国县登记注册；持有有效期内的高新技术企业证书；无严重失信记录',
    conditions: all(XG, { indicator: 'tags', op: 'hasTag', value: 'HIGH_TECH' }, honest), amountRule: fixed(20), amountText: '首次认定奖励 20 万元，重新认定奖励 10 万元', tags: ['HIGH_TECH'],
  },
  {
    id: 'XG-2026-003', department: 'MIIT', mode: 'INSTANT', title: '专精特新中小企业奖励', basis: [INDUSTRY, INDUSTRY_NO],
    beneficiaries: '新认定为省级专精特新中小企业的本县企业', conditionsText: '当年新认定为省级及以上专精特新中小企业；纳税信用等级 B 级及以上',
    conditions: all(XG, { indicator: 'tags', op: 'hasTag', value: 'SRDI' }, { indicator: 'tax.creditRating', op: 'in', values: ['A', 'B'] }), amountRule: fixed(30), amountText: '省级奖励 30 万元，国家级“小巨人”奖励 50 万元', tags: ['SRDI'], scales: ['MEDIUM', 'SMALL', 'MICRO'],
    deferrable: '专精特新认定文件',
  },
  {
    id: 'XG-2026-004', department: 'MIIT', mode: 'COMMITMENT', title: '工业企业技术改造补贴', basis: [INDUSTRY, INDUSTRY_NO],
    beneficiaries: '实施技术改造项目、设备投资 500 万元以上的规上工业企业', conditionsText: '规上工业企业；技术改造项目已竣工投产，设备投资额不低于 500 万元',
    conditions: all(XG, c('statistics.aboveScale', 'eq', true), honest), amountRule: { kind: 'PERCENT', indicator: 'statistics.outputValueFen', basisPoints: 100, capFen: yuan(200) },
    amountText: '按设备投资额的 10% 给予补贴，单个项目最高 200 万元', industries: ['C'], tags: ['ABOVE_SCALE'],
    deferrable: '设备购置发票',
  },
  {
    id: 'XG-2026-005', department: 'HRSS', mode: 'NO_APPLICATION', title: '企业稳岗补贴（失业保险稳岗返还）', basis: [JOBS, JOBS_NO],
    beneficiaries: '上年度未裁员或裁员率不高于规定比例、足额缴纳失业保险费的企业', conditionsText: '在兴国县参保；上年度足额缴纳失业保险费；未列入失信名单',
    conditions: all(XG, c('statistics.employees', 'gte', 1), honest), amountRule: { kind: 'PER_UNIT', indicator: 'statistics.employees', unitFen: 50_000, capFen: yuan(30) },
    amountText: '按参保职工每人 500 元返还，单户最高 30 万元',
  },
  {
    id: 'XG-2026-006', department: 'COMMERCE', mode: 'INSTANT', title: '外贸出口奖励', basis: [OPEN, OPEN_NO],
    beneficiaries: '在本县登记、有进出口实绩的外贸企业', conditionsText: '具有进出口经营资格；上年度出口额 100 万美元以上',
    conditions: all(XG, { indicator: 'tags', op: 'hasTag', value: 'FOREIGN_TRADE' }), amountRule: { kind: 'TIERS', indicator: 'tax.revenueFen', tiers: [{ min: yuan(1000), amountFen: yuan(5) }, { min: yuan(5000), amountFen: yuan(15) }, { min: yuan(10000), amountFen: yuan(30) }] },
    amountText: '按出口额分档奖励：1000 万元以上 5 万元，5000 万元以上 15 万元，1 亿元以上 30 万元', tags: ['FOREIGN_TRADE'],
  },
  {
    id: 'XG-2026-007', department: 'COMMERCE', mode: 'INSTANT', title: '电子商务发展奖励（电商奖励）', basis: [OPEN, OPEN_NO],
    beneficiaries: '本县注册的电子商务企业及网店', conditionsText: '在兴国县注册；年网络零售额 500 万元以上',
    conditions: all(XG, { indicator: 'industryCode', op: 'startsWith', value: 'F52' }, c('tax.revenueFen', 'gte', yuan(500))), amountRule: { kind: 'TIERS', indicator: 'tax.revenueFen', tiers: [{ min: yuan(500), amountFen: yuan(3) }, { min: yuan(2000), amountFen: yuan(10) }] },
    amountText: '网络零售额 500 万元以上奖励 3 万元，2000 万元以上奖励 10 万元', industries: ['F52', 'I65'],
  },
  {
    id: 'XG-2026-008', department: 'EDZ', mode: 'COMMITMENT', title: '招商引资项目落户奖励（招商落户奖励）', basis: ['《兴国县招商引资优惠政策（试行）》', '兴府发〔2024〕22号'],
    beneficiaries: '新引进落户兴国经济开发区、固定资产投资 5000 万元以上的工业项目', conditionsText: '注册于兴国县；签订投资协议并按期开工；固定资产投资不低于 5000 万元',
    conditions: all(XG, c('registeredOn', 'gte', { relative: 'today', offsetYears: -2 })), amountRule: fixed(50), amountText: '按实际到位资金给予落户奖励，最高 50 万元', industries: ['C'],
  },
  {
    id: 'XG-2026-009', department: 'NDRC', mode: 'COMMITMENT', title: '企业上市挂牌奖励（上市奖励）', basis: ['《兴国县推进企业上市“映山红行动”实施方案》', '兴府办发〔2024〕30号'],
    beneficiaries: '在境内外证券交易所上市或在新三板挂牌的本县企业', conditionsText: '在兴国县登记注册；完成股改并在证监局辅导备案，或已上市挂牌',
    conditions: all(XG, any({ indicator: 'tags', op: 'hasTag', value: 'LISTED' }, c('scale', 'eq', 'LARGE'))), amountRule: fixed(300), amountText: '分阶段奖励，合计最高 300 万元', tags: ['LISTED'],
  },
  {
    id: 'XG-2026-010', department: 'SCITECH', mode: 'NO_APPLICATION', title: '科技型中小企业研发费用后补助', basis: [TECH, TECH_NO],
    beneficiaries: '入库的科技型中小企业', conditionsText: '取得科技型中小企业入库编号；上年度享受研发费用加计扣除',
    conditions: all(XG, { indicator: 'tags', op: 'hasTag', value: 'TECH_SME' }), amountRule: { kind: 'PERCENT', indicator: 'tax.taxPaidFen', basisPoints: 500, capFen: yuan(20) },
    amountText: '按上年度研发费用的 5% 给予后补助，最高 20 万元', tags: ['TECH_SME'],
  },
  {
    id: 'XG-2026-011', department: 'MIIT', mode: 'INSTANT', title: '规上工业企业增产增效奖励', basis: [INDUSTRY, INDUSTRY_NO],
    beneficiaries: '产值增长较快的规上工业企业', conditionsText: '规上工业企业；年工业产值 2 亿元以上',
    conditions: all(XG, c('statistics.aboveScale', 'eq', true), c('statistics.outputValueFen', 'gte', yuan(20000))), amountRule: fixed(20), amountText: '奖励 20 万元', industries: ['C'], tags: ['ABOVE_SCALE'],
  },
  {
    id: 'XG-2026-012', department: 'MIIT', mode: 'COMMITMENT', title: '数字化转型（智能制造）项目补助', basis: [INDUSTRY, INDUSTRY_NO],
    beneficiaries: '实施智能制造、工业互联网项目的工业企业', conditionsText: '规上工业企业；项目软硬件投入 100 万元以上并通过验收',
    conditions: all(XG, c('statistics.aboveScale', 'eq', true)), amountRule: { kind: 'PERCENT', indicator: 'statistics.outputValueFen', basisPoints: 50, capFen: yuan(100) },
    amountText: '按软硬件投入的 15% 补助，最高 100 万元', industries: ['C'],
  },
  {
    id: 'XG-2026-013', department: 'SCITECH', mode: 'COMMITMENT', title: '企业研发平台建设奖励', basis: [TECH, TECH_NO],
    beneficiaries: '新认定省级及以上工程技术研究中心、企业技术中心的企业', conditionsText: '新获批省级及以上研发平台',
    conditions: all(XG, c('tax.creditRating', 'ne', 'D')), amountRule: fixed(30), amountText: '省级平台奖励 30 万元，国家级 100 万元',
  },
  {
    id: 'XG-2026-014', department: 'HRSS', mode: 'INSTANT', title: '吸纳重点群体就业社保补贴', basis: [JOBS, JOBS_NO],
    beneficiaries: '吸纳脱贫劳动力、高校毕业生就业并缴纳社会保险的企业', conditionsText: '签订 1 年以上劳动合同并缴纳社会保险',
    conditions: all(XG, c('statistics.employees', 'gte', 5)), amountRule: { kind: 'PER_UNIT', indicator: 'statistics.employees', unitFen: 100_000, capFen: yuan(20) },
    amountText: '每吸纳 1 人补贴 1000 元，最高 20 万元',
  },
  {
    id: 'XG-2026-015', department: 'HRSS', mode: 'INSTANT', title: '以工代训职业技能培训补贴', basis: [JOBS, JOBS_NO],
    beneficiaries: '开展以工代训的中小微企业', conditionsText: '组织新招用职工岗位技能培训并考核合格',
    conditions: all(XG, { indicator: 'scale', op: 'in', values: ['SMALL', 'MICRO', 'MEDIUM'] }), amountRule: { kind: 'PER_UNIT', indicator: 'statistics.employees', unitFen: 50_000, capFen: yuan(10) },
    amountText: '按每人每月 500 元补贴，最长 6 个月', scales: ['MEDIUM', 'SMALL', 'MICRO'],
  },
  {
    id: 'XG-2026-016', department: 'AGRI', mode: 'COMMITMENT', title: '农业产业化龙头企业奖励', basis: ['《兴国县加快农业产业化发展若干措施》', '兴府办发〔2025〕5号'],
    beneficiaries: '新认定为市级以上农业产业化龙头企业的企业', conditionsText: '从事农产品生产加工；新认定市级以上龙头企业',
    conditions: all(XG, any({ indicator: 'industryCode', op: 'startsWith', value: 'A' }, { indicator: 'industryCode', op: 'startsWith', value: 'C13' })), amountRule: fixed(10), amountText: '市级奖励 10 万元，省级 20 万元，国家级 50 万元', industries: ['A', 'C13'],
  },
  {
    id: 'XG-2026-017', department: 'AGRI', mode: 'INSTANT', title: '兴国红鲤鱼、油茶等特色产业基地补助', basis: ['《兴国县加快农业产业化发展若干措施》', '兴府办发〔2025〕5号'],
    beneficiaries: '新建或改造特色产业基地的经营主体', conditionsText: '基地面积达到规定标准并经验收',
    conditions: all(XG, { indicator: 'industryCode', op: 'startsWith', value: 'A' }), amountRule: { kind: 'TIERS', indicator: 'tax.revenueFen', tiers: [{ min: 0, amountFen: yuan(2) }, { min: yuan(500), amountFen: yuan(5) }] },
    amountText: '按基地规模分档补助 2–5 万元', industries: ['A'],
  },
  {
    id: 'XG-2026-018', department: 'SAMR', mode: 'NO_APPLICATION', title: '商标品牌与地理标志奖励', basis: ['《兴国县实施质量强县战略若干措施》', '兴府办发〔2025〕9号'],
    beneficiaries: '新获中国驰名商标、地理标志商标的企业', conditionsText: '新获认定；无违法失信记录',
    conditions: all(XG, honest), amountRule: fixed(10), amountText: '驰名商标奖励 50 万元，地理标志商标 10 万元',
  },
  {
    id: 'XG-2026-019', department: 'SAMR', mode: 'INSTANT', title: '标准制定与质量管理体系认证奖励', basis: ['《兴国县实施质量强县战略若干措施》', '兴府办发〔2025〕9号'],
    beneficiaries: '主导或参与制定国家、行业标准的企业', conditionsText: '标准已发布；企业为主要起草单位',
    conditions: all(XG, { indicator: 'tax.creditRating', op: 'in', values: ['A', 'B'] }), amountRule: fixed(5), amountText: '国家标准 20 万元，行业标准 10 万元，团体标准 5 万元',
  },
  {
    id: 'XG-2026-020', department: 'NDRC', mode: 'COMMITMENT', title: '重大产业项目用能保障奖励', basis: ['《兴国县重大项目建设推进办法》', '兴府发〔2025〕3号'],
    beneficiaries: '列入省市重点项目的产业项目', conditionsText: '列入当年省、市重点建设项目',
    conditions: all(XG, { indicator: 'scale', op: 'in', values: ['LARGE', 'MEDIUM'] }), amountRule: fixed(20), amountText: '奖励 20 万元', scales: ['LARGE', 'MEDIUM'],
  },
  {
    id: 'XG-2026-021', department: 'NDRC', mode: 'NO_APPLICATION', title: '服务业企业升规奖励', basis: ['《兴国县加快现代服务业发展若干措施》', '兴府办发〔2025〕18号'],
    beneficiaries: '首次纳入限额以上、规模以上服务业统计的企业', conditionsText: '当年新纳入限上、规上服务业统计',
    conditions: all(XG, c('statistics.aboveScaleSince', 'eq', { relative: 'currentYear' })), amountRule: fixed(5), amountText: '一次性奖励 5 万元', industries: ['F', 'G', 'H', 'I', 'L', 'M'],
  },
  {
    id: 'XG-2026-022', department: 'COMMERCE', mode: 'INSTANT', title: '限上商贸企业入库奖励', basis: [OPEN, OPEN_NO],
    beneficiaries: '新纳入限额以上批发零售、住宿餐饮统计的企业', conditionsText: '当年新入库限上商贸企业',
    conditions: all(XG, { indicator: 'industryCode', op: 'startsWith', value: 'F' }, c('statistics.aboveScaleSince', 'eq', { relative: 'currentYear' })), amountRule: fixed(3), amountText: '一次性奖励 3 万元', industries: ['F', 'H'],
  },
  {
    id: 'XG-2026-023', department: 'EDZ', mode: 'COMMITMENT', title: '标准厂房租金补贴', basis: ['《兴国县招商引资优惠政策（试行）》', '兴府发〔2024〕22号'],
    beneficiaries: '租用经开区标准厂房的新落户工业企业', conditionsText: '入驻经开区标准厂房；投产后按期纳统',
    conditions: all(XG, registeredYear), amountRule: { kind: 'PER_UNIT', indicator: 'statistics.employees', unitFen: 20_000, capFen: yuan(30) }, amountText: '前三年租金全额补贴，后两年减半', industries: ['C'],
  },
  {
    id: 'XG-2026-024', department: 'EDZ', mode: 'INSTANT', title: '工业企业物流费用补贴', basis: ['《兴国经济开发区降低企业成本若干措施》', '兴开管发〔2025〕2号'],
    beneficiaries: '经开区内规上工业企业', conditionsText: '规上工业企业；年物流费用 50 万元以上',
    conditions: all(XG, c('statistics.aboveScale', 'eq', true)), amountRule: { kind: 'PERCENT', indicator: 'tax.revenueFen', basisPoints: 10, capFen: yuan(20) }, amountText: '按物流费用的 10% 补贴，最高 20 万元', industries: ['C'],
  },
  {
    id: 'XG-2026-025', department: 'SCITECH', mode: 'INSTANT', title: '科技成果转化与技术合同登记奖励', basis: [TECH, TECH_NO],
    beneficiaries: '吸纳技术成果、登记技术合同的企业', conditionsText: '技术合同经认定登记；成交额 50 万元以上',
    conditions: all(XG, registeredYear), amountRule: { kind: 'PERCENT', indicator: 'tax.revenueFen', basisPoints: 100, capFen: yuan(10) }, amountText: '按技术合同成交额的 5% 奖励，最高 10 万元',
  },
  {
    id: 'XG-2026-026', department: 'HRSS', mode: 'INSTANT', title: '返乡创业一次性创业补贴', basis: [JOBS, JOBS_NO],
    beneficiaries: '返乡创业人员创办的小微企业', conditionsText: '首次创办；正常经营 6 个月以上',
    conditions: all(XG, { indicator: 'scale', op: 'in', values: ['SMALL', 'MICRO'] }, c('registeredOn', 'lte', { relative: 'today', offsetMonths: -6 })), amountRule: fixed(0.5), amountText: '一次性创业补贴 5000 元', scales: ['SMALL', 'MICRO'],
  },
  {
    id: 'XG-2026-027', department: 'MIIT', mode: 'NO_APPLICATION', title: '绿色工厂与节能改造奖励', basis: [INDUSTRY, INDUSTRY_NO],
    beneficiaries: '新获评绿色工厂或完成节能技术改造的工业企业', conditionsText: '新获评市级以上绿色工厂；无环境违法记录',
    conditions: all(XG, c('statistics.aboveScale', 'eq', true), honest), amountRule: fixed(20), amountText: '国家级 50 万元，省级 20 万元', industries: ['C'],
  },
  {
    id: 'XG-2026-028', department: 'COMMERCE', mode: 'COMMITMENT', title: '跨境电商与海外仓建设补助', basis: [OPEN, OPEN_NO],
    beneficiaries: '开展跨境电商业务、建设海外仓的企业', conditionsText: '跨境电商交易额 200 万美元以上',
    conditions: all(XG, { indicator: 'tags', op: 'hasTag', value: 'FOREIGN_TRADE' }), amountRule: fixed(20), amountText: '海外仓补助 20 万元', tags: ['FOREIGN_TRADE'],
  },
  {
    id: 'XG-2026-029', department: 'NDRC', mode: 'INSTANT', title: '中小微企业贷款贴息', basis: ['《兴国县金融支持实体经济发展若干措施》', '兴府办发〔2025〕26号'],
    beneficiaries: '获得本县银行业金融机构流动资金贷款的中小微企业', conditionsText: '贷款用于生产经营；按期还本付息；无不良信用记录',
    conditions: all(XG, { indicator: 'scale', op: 'in', values: ['MEDIUM', 'SMALL', 'MICRO'] }, honest), amountRule: { kind: 'PERCENT', indicator: 'tax.revenueFen', basisPoints: 20, capFen: yuan(30) },
    amountText: '按贷款市场报价利率的 50% 贴息，最高 30 万元', scales: ['MEDIUM', 'SMALL', 'MICRO'],
  },
  {
    id: 'XG-2026-030', department: 'MIIT', mode: 'COMMITMENT', title: '首台（套）重大技术装备奖励', basis: ['《赣州市推动制造业重点产业链高质量发展若干政策》', '赣市府发〔2025〕6号'],
    beneficiaries: '研制首台（套）重大技术装备的企业', conditionsText: '产品列入省首台（套）目录', level: 'CITY',
    conditions: all(XG, c('statistics.aboveScale', 'eq', true)), amountRule: fixed(50), amountText: '奖励 50 万元，市县按 5:5 分担', industries: ['C34', 'C35', 'C38'],
  },
  {
    id: 'XG-2026-031', department: 'SCITECH', mode: 'NO_APPLICATION', title: '高新技术企业培育入库奖励', basis: [TECH, TECH_NO],
    beneficiaries: '纳入高新技术企业培育库的企业', conditionsText: '入选市级高企培育库', status: 'DRAFT',
    conditions: all(XG, { indicator: 'tags', op: 'hasTag', value: 'TECH_SME' }), amountRule: fixed(5), amountText: '奖励 5 万元', tags: ['TECH_SME'],
  },
  {
    id: 'XG-2026-032', department: 'MIIT', mode: 'INSTANT', title: '工业企业技改设备融资租赁补贴', basis: [INDUSTRY, INDUSTRY_NO],
    beneficiaries: '以融资租赁方式购置生产设备的工业企业', conditionsText: '融资租赁合同金额 200 万元以上', status: 'CONSULTATION_TWO_APPROVED',
    conditions: all(XG, c('statistics.aboveScale', 'eq', true)), amountRule: { kind: 'PERCENT', indicator: 'statistics.outputValueFen', basisPoints: 30, capFen: yuan(50) }, amountText: '按租赁费用的 3% 补贴，最高 50 万元', industries: ['C'],
  },
  {
    id: 'XG-2026-033', department: 'COMMERCE', mode: 'INSTANT', title: '县域商业体系建设补助', basis: [OPEN, OPEN_NO],
    beneficiaries: '建设乡镇商贸中心、村级便民商店的企业', conditionsText: '项目列入县域商业体系建设计划', status: 'CONSULTATION',
    conditions: all(XG), amountRule: fixed(10), amountText: '每个项目补助 10 万元', industries: ['F'],
  },
  {
    id: 'YD-2026-001', department: 'MIIT', mode: 'NO_APPLICATION', title: '于都县新升规工业企业奖励', basis: ['《于都县推动工业倍增升级若干政策》', '于府发〔2025〕4号'],
    beneficiaries: '当年新纳入规上工业统计的于都县企业', conditionsText: '当年新入规',
    conditions: all(YD, c('statistics.aboveScaleSince', 'eq', { relative: 'currentYear' })), amountRule: fixed(8), amountText: '一次性奖励 8 万元', industries: ['C'],
  },
  {
    id: 'YD-2026-002', department: 'HRSS', mode: 'INSTANT', title: '于都县纺织服装企业稳岗补贴', basis: ['《于都县稳就业若干措施》', '于府办发〔2025〕11号'],
    beneficiaries: '于都县纺织服装企业', conditionsText: '足额缴纳失业保险',
    conditions: all(YD, { indicator: 'industryCode', op: 'startsWith', value: 'C18' }), amountRule: { kind: 'PER_UNIT', indicator: 'statistics.employees', unitFen: 30_000, capFen: yuan(20) }, amountText: '每人 300 元，最高 20 万元', industries: ['C18'],
  },
];
