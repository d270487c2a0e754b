import type { Role } from '../../../platform/identity';
import { defineSource, enterpriseKeyType, FindingCategory, FindingSeverity, recordsGroup, seedCases, SOURCE_READERS, sourceInfo } from '../kit';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { PoliceRecord } from './police-record.entity';

/** Police intelligence is not shown to the enterprise concerned (侦查不公开). */
const POLICE_READERS = new Set<Role>([...SOURCE_READERS].filter((role) => role !== 'ENTERPRISE'));
export const publicSecurity = sourceInfo({ name: 'public-security', fieldPrefix: 'publicSecurity', department: 'POLICE', owner: '县公安局', readers: POLICE_READERS });
const Enterprise = enterpriseKeyType();
const group = recordsGroup({ info: publicSecurity, enterprise: Enterprise, record: PoliceRecord, typeName: 'PublicSecurityRecords', description: '涉黑涉恶记录（县公安局），企业本身不可见' });

const SUMMARIES: [string, string][] = [
  ['涉恶', '以暴力、威胁手段强揽工程'],
  ['涉恶', '非法放贷、暴力催收'],
  ['涉黑', '实际控制人系黑社会性质组织成员'],
  ['涉恶', '欺行霸市、强迫交易'],
];

/** 县公安局: gang-related (涉黑涉恶) findings — rare (~0.4 %). */
export const publicSecuritySubgraph = defineSource({
  info: publicSecurity,
  enterprise: Enterprise,
  records: PoliceRecord,
  findings: (records) =>
    records.map((r) => ({
      category: FindingCategory.GANG_RELATED,
      severity: FindingSeverity.SERIOUS,
      occurredOn: r.occurredOn,
      endsOn: r.endsOn ?? null,
      reference: r.reference,
      reason: `${r.occurredOn} 经县公安局认定${r.caseType}（${r.summary}）${r.endsOn ? `，${r.endsOn} 结案` : '，尚未结案'}`,
      recordedAt: r.recordedAt,
    })),
  resolvers: [group.resolver],
  orphanedTypes: [group.type],
  entities: [PoliceRecord],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  seed: (em, options) =>
    seedCases(em, options, {
      source: 'public-security',
      entity: PoliceRecord,
      rate: (e) => ('EF'.includes(e.industryCode[0]) ? 0.012 : 0.003),
      documentWord: '公认',
      ends: { chance: 0.5, afterDays: [180, 720] },
      columns: (dice) => {
        const [caseType, summary] = dice.pick(SUMMARIES);
        return { caseType, summary };
      },
    }),
});
