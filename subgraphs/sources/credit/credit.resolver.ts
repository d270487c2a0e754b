import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { type EnterpriseKey, enterpriseKeyType, readSource, type SourceContext, sourceInfo } from '../kit';
import { CreditRecord, CreditRecordKind, PublicCreditGrade } from './credit-record.entity';

export const credit = sourceInfo({ name: 'credit', fieldPrefix: 'credit', department: 'NDRC', owner: '县发改委' });
export const Enterprise = enterpriseKeyType();

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
    const records = [...answer.records].sort((a, b) => b.occurredOn.localeCompare(a.occurredOn));
    const rating = records.find((r) => r.kind === CreditRecordKind.RATING);
    const dishonestyEntries = records.filter((r) => r.kind === CreditRecordKind.DISHONESTY);
    return {
      publicCreditRating: rating?.grade ?? null,
      ratedOn: rating?.occurredOn ?? null,
      onDishonestyList: dishonestyEntries.some((r) => !r.endsOn),
      dishonestyEntries,
      records,
      asOf: answer.sourceAsOf ?? new Date(),
    };
  }
}
