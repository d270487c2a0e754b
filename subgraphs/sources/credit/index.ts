import { defineSource, FindingCategory, FindingSeverity, type Finding } from '../kit';
import { CreditRecord, CreditRecordKind, PublicCreditGrade } from './credit-record.entity';
import { credit, CreditProfile, Enterprise, EnterpriseCreditResolver, Population, PopulationCreditResolver } from './credit.resolver';
import { seedCredit } from './demo/seed';
import { postgresqlMigrations, sqliteMigrations } from './migrations';

function toFinding(r: CreditRecord): Finding | null {
  if (r.kind === CreditRecordKind.DISHONESTY) {
    return {
      category: FindingCategory.SERIOUS_DISHONESTY,
      severity: FindingSeverity.SERIOUS,
      occurredOn: r.occurredOn,
      endsOn: r.endsOn ?? null,
      reference: r.reference,
      reason: `${r.occurredOn} 被${r.decidedBy}列入严重失信主体名单（${r.reason}）${r.endsOn ? `，${r.endsOn} 信用修复后移出` : '，目前仍在名单上'}`,
      recordedAt: r.recordedAt,
    };
  }
  if (r.grade === PublicCreditGrade.C || r.grade === PublicCreditGrade.D) {
    return {
      category: FindingCategory.PUBLIC_CREDIT_LOW,
      severity: r.grade === PublicCreditGrade.D ? FindingSeverity.SERIOUS : FindingSeverity.MINOR,
      occurredOn: r.occurredOn,
      endsOn: r.endsOn ?? null,
      reference: r.reference,
      reason: `${r.occurredOn} 公共信用综合评价为 ${r.grade} 级（${r.reason}）`,
      recordedAt: r.recordedAt,
    };
  }
  return null;
}

/** 县发改委: the serious-dishonesty list (严重失信主体名单) and public credit ratings. */
export const creditSubgraph = defineSource({
  info: credit,
  enterprise: Enterprise,
  records: CreditRecord,
  findings: (records) => records.map(toFinding).filter((f): f is Finding => f !== null),
  population: Population,
  resolvers: [EnterpriseCreditResolver, PopulationCreditResolver],
  orphanedTypes: [CreditProfile],
  entities: [CreditRecord],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  seed: seedCredit,
});
