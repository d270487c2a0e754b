/**
 * GB/T 4754-2017 国民经济行业分类: the 20 sections (门类) and 97 divisions (大类).
 * Our industry codes are `<section letter><2-digit division>`, e.g. `C39`: the letter is
 * redundant with the division but makes codes readable and sortable by section.
 */

export interface IndustrySection {
  code: string;
  name: string;
  /** Inclusive range of the section's divisions. */
  firstDivision: number;
  lastDivision: number;
}

export interface IndustryDivision {
  /** Two digits, "01"–"97". */
  code: string;
  name: string;
  section: string;
}

export interface Industry {
  /** Our code, e.g. "C39". */
  code: string;
  section: string;
  sectionName: string;
  division: string;
  name: string;
}

export const INDUSTRY_SECTIONS: readonly IndustrySection[] = [
  { code: 'A', name: '农、林、牧、渔业', firstDivision: 1, lastDivision: 5 },
  { code: 'B', name: '采矿业', firstDivision: 6, lastDivision: 12 },
  { code: 'C', name: '制造业', firstDivision: 13, lastDivision: 43 },
  { code: 'D', name: '电力、热力、燃气及水生产和供应业', firstDivision: 44, lastDivision: 46 },
  { code: 'E', name: '建筑业', firstDivision: 47, lastDivision: 50 },
  { code: 'F', name: '批发和零售业', firstDivision: 51, lastDivision: 52 },
  { code: 'G', name: '交通运输、仓储和邮政业', firstDivision: 53, lastDivision: 60 },
  { code: 'H', name: '住宿和餐饮业', firstDivision: 61, lastDivision: 62 },
  { code: 'I', name: '信息传输、软件和信息技术服务业', firstDivision: 63, lastDivision: 65 },
  { code: 'J', name: '金融业', firstDivision: 66, lastDivision: 69 },
  { code: 'K', name: '房地产业', firstDivision: 70, lastDivision: 70 },
  { code: 'L', name: '租赁和商务服务业', firstDivision: 71, lastDivision: 72 },
  { code: 'M', name: '科学研究和技术服务业', firstDivision: 73, lastDivision: 75 },
  { code: 'N', name: '水利、环境和公共设施管理业', firstDivision: 76, lastDivision: 79 },
  { code: 'O', name: '居民服务、修理和其他服务业', firstDivision: 80, lastDivision: 82 },
  { code: 'P', name: '教育', firstDivision: 83, lastDivision: 83 },
  { code: 'Q', name: '卫生和社会工作', firstDivision: 84, lastDivision: 85 },
  { code: 'R', name: '文化、体育和娱乐业', firstDivision: 86, lastDivision: 90 },
  { code: 'S', name: '公共管理、社会保障和社会组织', firstDivision: 91, lastDivision: 96 },
  { code: 'T', name: '国际组织', firstDivision: 97, lastDivision: 97 },
];

/** Division names in order 01–97; the section of each follows from the ranges above. */
const DIVISION_NAMES = [
  // A
  '农业', '林业', '畜牧业', '渔业', '农、林、牧、渔专业及辅助性活动',
  // B
  '煤炭开采和洗选业', '石油和天然气开采业', '黑色金属矿采选业', '有色金属矿采选业', '非金属矿采选业',
  '开采专业及辅助性活动', '其他采矿业',
  // C
  '农副食品加工业', '食品制造业', '酒、饮料和精制茶制造业', '烟草制品业', '纺织业', '纺织服装、服饰业',
  '皮革、毛皮、羽毛及其制品和制鞋业', '木材加工和木、竹、藤、棕、草制品业', '家具制造业', '造纸和纸制品业',
  '印刷和记录媒介复制业', '文教、工美、体育和娱乐用品制造业', '石油、煤炭及其他燃料加工业',
  '化学原料和化学制品制造业', '医药制造业', '化学纤维制造业', '橡胶和塑料制品业', '非金属矿物制品业',
  '黑色金属冶炼和压延加工业', '有色金属冶炼和压延加工业', '金属制品业', '通用设备制造业', '专用设备制造业',
  '汽车制造业', '铁路、船舶、航空航天和其他运输设备制造业', '电气机械和器材制造业',
  '计算机、通信和其他电子设备制造业', '仪器仪表制造业', '其他制造业', '废弃资源综合利用业',
  '金属制品、机械和设备修理业',
  // D
  '电力、热力生产和供应业', '燃气生产和供应业', '水的生产和供应业',
  // E
  '房屋建筑业', '土木工程建筑业', '建筑安装业', '建筑装饰、装修和其他建筑业',
  // F
  '批发业', '零售业',
  // G
  '铁路运输业', '道路运输业', '水上运输业', '航空运输业', '管道运输业', '多式联运和运输代理业',
  '装卸搬运和仓储业', '邮政业',
  // H
  '住宿业', '餐饮业',
  // I
  '电信、广播电视和卫星传输服务', '互联网和相关服务', '软件和信息技术服务业',
  // J
  '货币金融服务', '资本市场服务', '保险业', '其他金融业',
  // K
  '房地产业',
  // L
  '租赁业', '商务服务业',
  // M
  '研究和试验发展', '专业技术服务业', '科技推广和应用服务业',
  // N
  '水利管理业', '生态保护和环境治理业', '公共设施管理业', '土地管理业',
  // O
  '居民服务业', '机动车、电子产品和日用产品修理业', '其他服务业',
  // P
  '教育',
  // Q
  '卫生', '社会工作',
  // R
  '新闻和出版业', '广播、电视、电影和录音制作业', '文化艺术业', '体育', '娱乐业',
  // S
  '中国共产党机关', '国家机构', '人民政协、民主党派', '社会保障', '群众团体、社会团体和其他成员组织',
  '基层群众自治组织及其他组织',
  // T
  '国际组织',
];

export const INDUSTRY_DIVISIONS: readonly IndustryDivision[] = DIVISION_NAMES.map((name, i) => {
  const number = i + 1;
  const section = INDUSTRY_SECTIONS.find((s) => number >= s.firstDivision && number <= s.lastDivision);
  if (!section) throw new Error(`GB/T 4754 table is inconsistent: no section for division ${number}`);
  return { code: String(number).padStart(2, '0'), name, section: section.code };
});

const INDUSTRIES = new Map<string, Industry>(
  INDUSTRY_DIVISIONS.map((d) => {
    const code = d.section + d.code;
    const sectionName = INDUSTRY_SECTIONS.find((s) => s.code === d.section)!.name;
    return [code, { code, section: d.section, sectionName, division: d.code, name: d.name }];
  }),
);

/** Exact match on our `<section><division>` code, e.g. "C39"; "c39" and "D39" are not codes. */
export function findIndustry(code: string): Industry | undefined {
  return INDUSTRIES.get(code);
}

export function isIndustryCode(code: string): boolean {
  return INDUSTRIES.has(code);
}
