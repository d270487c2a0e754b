import { defineSource, enterpriseKeyType, FindingCategory, FindingSeverity, recordsGroup, sourceInfo } from '../kit';
import { seedEcology } from './demo/seed';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { EcologyPenalty } from './penalty.entity';

export const ecology = sourceInfo({ name: 'ecology', fieldPrefix: 'ecology', department: 'ENV', owner: '县生态环境局' });
const Enterprise = enterpriseKeyType();
const group = recordsGroup({ info: ecology, enterprise: Enterprise, record: EcologyPenalty, typeName: 'EcologyRecords', description: '环境行政处罚记录（县生态环境局）' });

/** Serious: ¥100,000 or more, or production stopped. */
const SERIOUS_FEN = 10_000_000;

/** 县生态环境局: environmental administrative penalties. */
export const ecologySubgraph = defineSource({
  info: ecology,
  enterprise: Enterprise,
  records: EcologyPenalty,
  findings: (penalties) =>
    penalties.map((p) => ({
      category: FindingCategory.ENVIRONMENTAL_PENALTY,
      severity: p.amountFen >= SERIOUS_FEN || p.penalty.includes('停产') ? FindingSeverity.SERIOUS : FindingSeverity.MINOR,
      occurredOn: p.occurredOn,
      endsOn: p.endsOn ?? null,
      reference: p.reference,
      reason: `${p.occurredOn} 因${p.violation}被${p.penalty}${p.amountFen ? `，罚款 ${(p.amountFen / 100).toLocaleString('zh-CN')} 元` : ''}${p.endsOn ? `，已于 ${p.endsOn} 整改完毕` : '，尚未整改完毕'}`,
      recordedAt: p.recordedAt,
    })),
  resolvers: [group.resolver],
  orphanedTypes: [group.type],
  entities: [EcologyPenalty],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  seed: seedEcology,
});
