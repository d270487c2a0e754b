import { defineSource, FindingCategory, FindingSeverity } from '../kit';
import { seedStatistics } from './demo/seed';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { StatisticsRecord, StatisticsRecordKind } from './statistics-record.entity';
import { Enterprise, EnterpriseStatisticsResolver, Population, PopulationStatisticsResolver, statistics, StatisticsProfile } from './statistics.resolver';

/** 县统计局: 规上 status and year, employees, output per year; statistical violations. */
export const statisticsSubgraph = defineSource({
  info: statistics,
  enterprise: Enterprise,
  records: StatisticsRecord,
  findings: (records) =>
    records
      .filter((r) => r.kind === StatisticsRecordKind.VIOLATION)
      .map((r) => ({
        category: FindingCategory.STATISTICS_VIOLATION,
        severity: r.description!.includes('虚报') ? FindingSeverity.SERIOUS : FindingSeverity.MINOR,
        occurredOn: r.occurredOn,
        endsOn: r.endsOn ?? null,
        reference: r.reference,
        reason: `${r.occurredOn} 因${r.description}受到统计行政处罚${r.endsOn ? `，${r.endsOn} 整改完毕` : '，尚未整改完毕'}`,
        recordedAt: r.recordedAt,
      })),
  population: Population,
  resolvers: [EnterpriseStatisticsResolver, PopulationStatisticsResolver],
  orphanedTypes: [StatisticsProfile],
  entities: [StatisticsRecord],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  seed: seedStatistics,
});
