/** GB/T 2260 levels the platform knows. */
export const RegionLevel = { PROVINCE: 'PROVINCE', CITY: 'CITY', COUNTY: 'COUNTY' } as const;
export type RegionLevel = (typeof RegionLevel)[keyof typeof RegionLevel];

/** What a department does in 惠企政策兑现. */
export const DepartmentFunction = {
  POLICY_OWNER: 'POLICY_OWNER',
  POLICY_MANAGEMENT: 'POLICY_MANAGEMENT',
  INTAKE: 'INTAKE',
  PAYER: 'PAYER',
  BUDGET: 'BUDGET',
  JOINT_AUDIT: 'JOINT_AUDIT',
  OVERSIGHT: 'OVERSIGHT',
  REGISTRY: 'REGISTRY',
} as const;
export type DepartmentFunction = (typeof DepartmentFunction)[keyof typeof DepartmentFunction];
const F = DepartmentFunction;

/**
 * Reference data every deployment needs (not demo data): the regions on the platform and each
 * county's departments that take part in 惠企政策兑现. The enterprises subgraph serves it (loaded
 * idempotently at every start); the gateway checks identity claims against it. Plain data, so the
 * gateway can read it without any subgraph code.
 */
export interface DirectoryRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

export const REGIONS: readonly DirectoryRegion[] = [
  { code: '360000', name: '江西省', level: RegionLevel.PROVINCE, parentCode: null },
  { code: '360700', name: '赣州市', level: RegionLevel.CITY, parentCode: '360000' },
  { code: '360732', name: '兴国县', level: RegionLevel.COUNTY, parentCode: '360700' },
  { code: '360731', name: '于都县', level: RegionLevel.COUNTY, parentCode: '360700' },
];

/** Abbreviation, full name pattern (`{county}` replaced), short name, functions. */
const COUNTY_DEPARTMENTS: { abbr: string; name: string; shortName: string; functions: DepartmentFunction[] }[] = [
  { abbr: 'NDRC', name: '{county}发展和改革委员会', shortName: '县发改委', functions: [F.POLICY_OWNER, F.POLICY_MANAGEMENT, F.JOINT_AUDIT] },
  { abbr: 'FINANCE', name: '{county}财政局', shortName: '县财政局', functions: [F.BUDGET] },
  { abbr: 'APPROVAL', name: '{county}行政审批局', shortName: '县行政审批局', functions: [F.INTAKE, F.PAYER] },
  { abbr: 'AUDIT', name: '{county}审计局', shortName: '县审计局', functions: [F.OVERSIGHT] },
  { abbr: 'STATS', name: '{county}统计局', shortName: '县统计局', functions: [F.JOINT_AUDIT] },
  { abbr: 'TAX', name: '国家税务总局{county}税务局', shortName: '县税务局', functions: [F.JOINT_AUDIT] },
  { abbr: 'POLICE', name: '{county}公安局', shortName: '县公安局', functions: [F.JOINT_AUDIT] },
  { abbr: 'ENV', name: '赣州市{countyShort}生态环境局', shortName: '县生态环境局', functions: [F.JOINT_AUDIT] },
  { abbr: 'SAFETY', name: '{county}应急管理局', shortName: '县应急管理局', functions: [F.JOINT_AUDIT] },
  { abbr: 'LAND', name: '{county}自然资源局', shortName: '县自然资源局', functions: [F.JOINT_AUDIT] },
  { abbr: 'HOUSING', name: '{county}住房和城乡建设局', shortName: '县住建局', functions: [F.JOINT_AUDIT] },
  { abbr: 'PBOC', name: '中国人民银行{county}支行', shortName: '县人民银行', functions: [F.JOINT_AUDIT] },
  { abbr: 'MIIT', name: '{county}工业和信息化局', shortName: '县工信局', functions: [F.POLICY_OWNER] },
  { abbr: 'COMMERCE', name: '{county}商务局', shortName: '县商务局', functions: [F.POLICY_OWNER] },
  { abbr: 'SCITECH', name: '{county}科学技术局', shortName: '县科技局', functions: [F.POLICY_OWNER] },
  { abbr: 'HRSS', name: '{county}人力资源和社会保障局', shortName: '县人社局', functions: [F.POLICY_OWNER] },
  { abbr: 'AGRI', name: '{county}农业农村局', shortName: '县农业农村局', functions: [F.POLICY_OWNER] },
  { abbr: 'SAMR', name: '{county}市场监督管理局', shortName: '县市场监管局', functions: [F.POLICY_OWNER, F.REGISTRY] },
];

/** Only 兴国县 has an Economic Development Zone intake window in this plan. */
const EXTRA_DEPARTMENTS: Record<string, typeof COUNTY_DEPARTMENTS> = {
  '360732': [{ abbr: 'EDZ', name: '兴国经济开发区管理委员会', shortName: '经开区管委会', functions: [F.POLICY_OWNER, F.INTAKE] }],
};

export const DEPARTMENTS = REGIONS.filter((r) => r.level === RegionLevel.COUNTY).flatMap((region) =>
  [...COUNTY_DEPARTMENTS, ...(EXTRA_DEPARTMENTS[region.code] ?? [])].map((d) => ({
    code: `${region.code}-${d.abbr}`,
    name: d.name.replace('{county}', region.name).replace('{countyShort}', region.name.replace(/县$/, '')),
    shortName: d.shortName,
    regionCode: region.code,
    functions: d.functions,
  })),
);

export const departmentAbbr = (code: string) => code.slice(code.indexOf('-') + 1);

const REGION_CODES = new Set(REGIONS.map((r) => r.code));
const DEPARTMENT_REGIONS = new Map(DEPARTMENTS.map((d) => [d.code, d.regionCode]));

export const isKnownRegion = (code: string): boolean => REGION_CODES.has(code);
/** The region a department belongs to, or undefined for a code the platform does not know. */
export const departmentRegion = (code: string): string | undefined => DEPARTMENT_REGIONS.get(code);
