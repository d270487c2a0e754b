import { Ctx, Directive, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { alignColumns, populationKeyType, PopulationTableScalar, type PopulationMembers, type PopulationTable } from '../../kit/population';
import { type EnterpriseKey, enterpriseKeyType, readSource, type SourceContext, sourceInfo } from '../kit';
import { populationRows, readPopulation } from '../kit/population';
import { CreditRecord, CreditRecordKind, PublicCreditGrade } from './credit-record.entity';

export const credit = sourceInfo({ name: 'credit', fieldPrefix: 'credit', department: 'NDRC', owner: '县发改委' });
export const Enterprise = enterpriseKeyType();
export const Population = populationKeyType();

type Indicated = Pick<CreditRecord, 'kind' | 'grade' | 'occurredOn' | 'endsOn'>;
/** The indicators of a profile: the newest rating's grade; on the list while an entry has not ended. */
function indicators<R extends Indicated>(records: R[]) {
  const newestFirst = [...records].sort((a, b) => b.occurredOn.localeCompare(a.occurredOn));
  const rating = newestFirst.find((r) => r.kind === CreditRecordKind.RATING);
  const dishonestyEntries = newestFirst.filter((r) => r.kind === CreditRecordKind.DISHONESTY);
  return { newestFirst, rating, dishonestyEntries, publicCreditRating: rating?.grade ?? null, onDishonestyList: dishonestyEntries.some((r) => !r.endsOn) };
}

@ObjectType({ description: '公共信用信息（县发改委）。联合审核的数据来源之一。' })
export class CreditProfile {
  @Field(() => PublicCreditGrade, { nullable: true, description: '最近一次公共信用综合评价等级；未评价为 null' })
  publicCreditRating!: PublicCreditGrade | null;

  @Field(() => String, { nullable: true, description: '最近一次评价日期 YYYY-MM-DD' })
  ratedOn!: string | null;

  @Field({ description: '目前是否在严重失信主体名单上（有列入记录且未移出）' })
  onDishonestyList!: boolean;

  @Field(() => [CreditRecord], { description: '严重失信主体名单列入记录（含已移出），按列入日期倒序' })
  dishonestyEntries!: CreditRecord[];

  @Field(() => [CreditRecord], { description: '全部记录（评价与名单），按日期倒序' })
  records!: CreditRecord[];

  @Field({ description: '来源数据的时点' })
  asOf!: Date;
}

@Resolver(() => Enterprise)
export class EnterpriseCreditResolver {
  @FieldResolver(() => CreditProfile, { nullable: true, description: '公共信用信息（县发改委）' })
  async credit(@Root() enterprise: EnterpriseKey, @Ctx() ctx: SourceContext<CreditRecord>): Promise<CreditProfile> {
    const answer = await readSource(ctx, credit, enterprise.creditCode, 'Enterprise.credit');
    const { newestFirst, rating, dishonestyEntries, publicCreditRating, onDishonestyList } = indicators(answer.records);
    return {
      publicCreditRating,
      ratedOn: rating?.occurredOn ?? null,
      onDishonestyList,
      dishonestyEntries,
      records: newestFirst,
      asOf: answer.sourceAsOf ?? new Date(),
    };
  }
}

@Resolver(() => Population)
export class PopulationCreditResolver {
  @FieldResolver(() => PopulationTableScalar, { nullable: true, description: '全地区企业的公共信用指标（onDishonestyList publicCreditRating），与 members 对齐' })
  @Directive('@requires(fields: "members")')
  @Directive('@inaccessible')
  async credit(@Root() population: PopulationMembers, @Ctx() ctx: SourceContext<CreditRecord>): Promise<PopulationTable> {
    const { codes, readable } = readPopulation(ctx, credit, population, 'EnterprisePopulation.credit');
    const rows = await populationRows<Indicated & { creditCode: string }>(ctx.em, CreditRecord, readable, ['creditCode', 'kind', 'grade', 'occurredOn', 'endsOn']);
    const byCode = new Map<string, Indicated[]>(readable.map((code) => [code, []]));
    for (const r of rows) byCode.get(r.creditCode)?.push(r);
    // As `Enterprise.credit`: a readable enterprise without records is "not on the list", unrated.
    const profiles = new Map([...byCode].map(([code, records]) => [code, indicators(records)]));
    return alignColumns(codes, profiles, { onDishonestyList: (p) => p.onDishonestyList, publicCreditRating: (p) => p.publicCreditRating });
  }
}
