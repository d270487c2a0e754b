import { defineSource, enterpriseKeyType, FindingCategory, FindingSeverity, recordsGroup, seedCases, sourceInfo } from '../kit';
import { ConstructionViolation } from './construction-violation.entity';
import { postgresqlMigrations, sqliteMigrations } from './migrations';

export const housing = sourceInfo({ name: 'housing', fieldPrefix: 'housing', department: 'HOUSING', owner: '县住建局' });
const Enterprise = enterpriseKeyType();
const group = recordsGroup({ info: housing, enterprise: Enterprise, record: ConstructionViolation, typeName: 'HousingRecords', description: '住房和城乡建设领域违法（县住建局）' });

const VIOLATIONS = ['未取得施工许可证擅自施工', '违法分包、转包工程', '未按规定缴存农民工工资保证金', '施工现场扬尘治理不到位', '未按工程建设强制性标准施工'];
const PROJECTS = ['厂房扩建工程', '综合楼建设项目', '安置房工程', '道路改造工程', '仓储物流中心'];

/** 县住建局: construction-sector violations (~1.5 %, ~8 % of builders). */
export const housingSubgraph = defineSource({
  info: housing,
  enterprise: Enterprise,
  records: ConstructionViolation,
  findings: (records) =>
    records.map((r) => ({
      category: FindingCategory.CONSTRUCTION_VIOLATION,
      severity: r.violation.includes('转包') || r.violation.includes('强制性标准') ? FindingSeverity.SERIOUS : FindingSeverity.MINOR,
      occurredOn: r.occurredOn,
      endsOn: r.endsOn ?? null,
      reference: r.reference,
      reason: `${r.occurredOn} 因${r.project}${r.violation}被处罚款 ${(r.amountFen / 100).toLocaleString('zh-CN')} 元${r.endsOn ? `，${r.endsOn} 整改完毕` : '，尚未整改完毕'}`,
      recordedAt: r.recordedAt,
    })),
  resolvers: [group.resolver],
  orphanedTypes: [group.type],
  entities: [ConstructionViolation],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  seed: (em, options) =>
    seedCases(em, options, {
      source: 'housing',
      entity: ConstructionViolation,
      rate: (e) => (e.industryCode[0] === 'E' ? 0.08 : e.industryCode[0] === 'K' ? 0.05 : 0.008),
      documentWord: '建罚',
      ends: { chance: 0.8, afterDays: [30, 240] },
      columns: (dice) => ({ violation: dice.pick(VIOLATIONS), project: dice.pick(PROJECTS), amountFen: dice.int(2, 80) * 1_000_000 }),
    }),
});
