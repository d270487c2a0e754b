import { defineSource, enterpriseKeyType, FindingCategory, FindingSeverity, recordsGroup, seedCases, sourceInfo } from '../kit';
import { LandViolation } from './land-violation.entity';
import { postgresqlMigrations, sqliteMigrations } from './migrations';

export const naturalResources = sourceInfo({ name: 'natural-resources', fieldPrefix: 'naturalResources', department: 'LAND', owner: '县自然资源局' });
const Enterprise = enterpriseKeyType();
const group = recordsGroup({ info: naturalResources, enterprise: Enterprise, record: LandViolation, typeName: 'NaturalResourcesRecords', description: '土地、矿产违法（县自然资源局）' });

const VIOLATIONS = ['未经批准占用土地建设厂房', '非法占用耕地', '未取得采矿许可证擅自采矿', '超越批准范围采矿（稀土）', '改变土地用途'];

/** 县自然资源局: land and mining violations (~1.5 %, more in mining and manufacturing). */
export const naturalResourcesSubgraph = defineSource({
  info: naturalResources,
  enterprise: Enterprise,
  records: LandViolation,
  findings: (records) =>
    records.map((r) => ({
      category: FindingCategory.LAND_VIOLATION,
      severity: r.violation.includes('耕地') || r.violation.includes('采矿') ? FindingSeverity.SERIOUS : FindingSeverity.MINOR,
      occurredOn: r.occurredOn,
      endsOn: r.endsOn ?? null,
      reference: r.reference,
      reason: `${r.occurredOn} 因${r.violation}（${r.areaSquareMeters} 平方米）被处罚款 ${(r.amountFen / 100).toLocaleString('zh-CN')} 元${r.endsOn ? `，${r.endsOn} 整改完毕` : '，尚未整改完毕'}`,
      recordedAt: r.recordedAt,
    })),
  resolvers: [group.resolver],
  orphanedTypes: [group.type],
  entities: [LandViolation],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  seed: (em, options) =>
    seedCases(em, options, {
      source: 'natural-resources',
      entity: LandViolation,
      rate: (e) => ('BC'.includes(e.industryCode[0]) ? 0.03 : 0.008),
      documentWord: '自然资罚',
      ends: { chance: 0.75, afterDays: [60, 365] },
      columns: (dice) => {
        const areaSquareMeters = dice.int(50, 20_000);
        return { violation: dice.pick(VIOLATIONS), areaSquareMeters, amountFen: areaSquareMeters * dice.int(10, 30) * 100 };
      },
    }),
});
