import { Ctx, Directive, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { FenScalar } from '../../kit/money';
import { populationKeyType, PopulationTableScalar, alignColumns, type PopulationMembers, type PopulationTable } from '../../kit/population';
import { type EnterpriseKey, enterpriseKeyType, readSource, type SourceContext, sourceInfo } from '../kit';
import { bool, num, populationRows, readPopulation } from '../kit/population';
import { StatisticsRecord, StatisticsRecordKind } from './statistics-record.entity';

export const statistics = sourceInfo({ name: 'statistics', fieldPrefix: 'statistics', department: 'STATS', owner: '县统计局' });
export const Enterprise = enterpriseKeyType();
export const Population = populationKeyType();

/** The indicator fields of a profile, from the newest annual report (none: not 规上, the rest unknown). */
type AnnualFigures = Pick<StatisticsRecord, 'year' | 'aboveScale' | 'aboveScaleSince' | 'employees' | 'outputValueFen'>;
function indicators(latest: AnnualFigures | undefined) {
  return {
    aboveScale: !!latest?.aboveScale,
    // The bureau records the year an enterprise entered (入规) with each report: it may predate the rows.
    aboveScaleSince: latest?.aboveScale ? (latest.aboveScaleSince ?? null) : null,
    employees: latest?.employees ?? null,
    latestYear: latest?.year ?? null,
    outputValueFen: latest?.outputValueFen ?? null,
  };
}

@ObjectType({ description: '统计信息（县统计局）。联合审核的数据来源之一；指标字段供政策条件引用。' })
export class StatisticsProfile {
  @Field({ description: '最近年度是否为规模以上企业（规上）' })
  aboveScale!: boolean;

  @Field(() => Int, { nullable: true, description: '入规年份（连续规上的起始年度）；非规上为 null' })
  aboveScaleSince!: number | null;

  @Field(() => Int, { nullable: true, description: '最近年度从业人员期末人数' })
  employees!: number | null;

  @Field(() => Int, { nullable: true, description: '最近一个有年报的年度' })
  latestYear!: number | null;

  @Field(() => FenScalar, { nullable: true, description: '最近年度工业总产值（或营业收入），分' })
  outputValueFen!: number | null;

  @Field(() => [StatisticsRecord], { description: '历年年报，按年度倒序' })
  years!: StatisticsRecord[];

  @Field(() => [StatisticsRecord], { description: '统计违法行为（含已整改），按日期倒序' })
  violations!: StatisticsRecord[];

  @Field({ description: '来源数据的时点' })
  asOf!: Date;
}

@Resolver(() => Enterprise)
export class EnterpriseStatisticsResolver {
  @FieldResolver(() => StatisticsProfile, { nullable: true, description: '统计信息（县统计局）' })
  async statistics(@Root() enterprise: EnterpriseKey, @Ctx() ctx: SourceContext<StatisticsRecord>): Promise<StatisticsProfile> {
    const answer = await readSource(ctx, statistics, enterprise.creditCode, 'Enterprise.statistics');
    const years = answer.records.filter((r) => r.kind === StatisticsRecordKind.ANNUAL).sort((a, b) => b.year! - a.year!);
    const latest = years[0];
    return {
      ...indicators(latest),
      years,
      violations: answer.records.filter((r) => r.kind === StatisticsRecordKind.VIOLATION).sort((a, b) => b.occurredOn.localeCompare(a.occurredOn)),
      asOf: answer.sourceAsOf ?? new Date(),
    };
  }
}

@Resolver(() => Population)
export class PopulationStatisticsResolver {
  @FieldResolver(() => PopulationTableScalar, { nullable: true, description: '全地区企业的统计指标（aboveScale aboveScaleSince employees latestYear outputValueFen），与 members 对齐' })
  @Directive('@requires(fields: "members")')
  @Directive('@inaccessible')
  async statistics(@Root() population: PopulationMembers, @Ctx() ctx: SourceContext<StatisticsRecord>): Promise<PopulationTable> {
    const { codes, readable } = readPopulation(ctx, statistics, population, 'EnterprisePopulation.statistics');
    const rows = await populationRows<AnnualFigures & { creditCode: string; kind: string }>(ctx.em, StatisticsRecord, readable, ['creditCode', 'kind', 'year', 'aboveScale', 'aboveScaleSince', 'employees', 'outputValueFen'], {
      where: { kind: StatisticsRecordKind.ANNUAL },
      latestBy: 'year',
    });
    const latest = new Map<string, AnnualFigures | undefined>(readable.map((code) => [code, undefined]));
    for (const r of rows) {
      if (r.kind !== StatisticsRecordKind.ANNUAL) continue;
      const year = num(r.year)!;
      const seen = latest.get(r.creditCode);
      if (!seen || year > seen.year!) {
        latest.set(r.creditCode, { year, aboveScale: bool(r.aboveScale), aboveScaleSince: num(r.aboveScaleSince), employees: num(r.employees), outputValueFen: num(r.outputValueFen) } as AnnualFigures);
      }
    }
    // As `Enterprise.statistics`: a readable enterprise without reports is "not 规上", the rest unknown.
    const profiles = new Map([...latest].map(([code, figures]) => [code, indicators(figures)]));
    return alignColumns(codes, profiles, {
      aboveScale: (p) => p.aboveScale,
      aboveScaleSince: (p) => p.aboveScaleSince,
      employees: (p) => p.employees,
      latestYear: (p) => p.latestYear,
      outputValueFen: (p) => p.outputValueFen,
    });
  }
}
