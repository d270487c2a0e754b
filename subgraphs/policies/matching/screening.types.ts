import { Directive, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../../platform/credit-code';
import { FenScalar } from '../../kit/money';
import { PageInfo } from '../../kit/pagination';
import { PopulationTableScalar, type PopulationTable } from '../../kit/population';
import { PolicyView } from '../policy.types';
import { MatchingEnterprise } from './enterprise.stub';

export const ScreeningOutcome = { ELIGIBLE: 'ELIGIBLE', UNKNOWN: 'UNKNOWN' } as const;
export type ScreeningOutcome = (typeof ScreeningOutcome)[keyof typeof ScreeningOutcome];
registerEnumType(ScreeningOutcome, {
  name: 'ScreeningOutcome',
  description: '筛查结论',
  valuesConfig: {
    ELIGIBLE: { description: '符合：列入白名单' },
    UNKNOWN: { description: '待核实：缺少数据（或无权读取某来源）无法判断，需主管部门核实' },
  },
});

/**
 * `EnterprisePopulation` as screening sees it: the region's key and, `@external`, every owner's
 * table (enterprises' members and registry, tax, statistics, credit), handed over by `@requires`.
 */
@ObjectType('EnterprisePopulation')
@Directive('@key(fields: "regionCode")')
export class ScreeningPopulation {
  @Field() regionCode!: string;
  @Directive('@external') @Field(() => PopulationTableScalar) members!: PopulationTable;
  @Directive('@external') @Field(() => PopulationTableScalar) registry!: PopulationTable;
  @Directive('@external') @Field(() => PopulationTableScalar, { nullable: true }) tax!: PopulationTable | null;
  @Directive('@external') @Field(() => PopulationTableScalar, { nullable: true }) statistics!: PopulationTable | null;
  @Directive('@external') @Field(() => PopulationTableScalar, { nullable: true }) credit!: PopulationTable | null;
}

@ObjectType({ description: '筛查结果的一条：一家企业、金额与逐条判断说明（与该企业的政策计算器一致）' })
export class ScreeningEntryView {
  @Field(() => CreditCodeScalar) creditCode!: string;
  @Field(() => MatchingEnterprise, { description: '企业（由 enterprises 子图解析名称等）' }) enterprise!: { creditCode: string };
  @Field(() => ScreeningOutcome) outcome!: ScreeningOutcome;
  @Field(() => FenScalar, { nullable: true, description: '金额（分）；待核实的为符合后应得金额；依赖缺失数据时为 null' }) amountFen!: number | null;
  @Field({ description: '金额计算说明' }) amountText!: string;
  @Field(() => [String], { description: '逐条判断说明（✓ 满足 ✗ 不满足 ？ 无法判断）' }) explanation!: string[];
}

@ObjectType({ description: '筛查结果分页' })
export class ScreeningEntryConnection {
  @Field(() => [ScreeningEntryView]) nodes!: ScreeningEntryView[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: '该结论的总条数' }) totalCount!: number;
}

@ObjectType({ description: '一项已发布政策对一个地区全部企业的筛查：免申即享白名单（由主管部门确认）与精准推送对象' })
export class PolicyScreening {
  @Field(() => PolicyView) policy!: PolicyView;
  @Field(() => Int, { description: '据以筛查的政策版本号（施行版本）' }) version!: number;
  @Field({ description: '筛查地区' }) regionCode!: string;
  @Field({ description: '计算日期 YYYY-MM-DD（北京时间）' }) evaluatedOn!: string;
  @Field(() => Int, { description: '筛查的企业数（该地区中政策适用范围内的企业）' }) screened!: number;
  @Field(() => Int, { description: '符合（白名单）企业数' }) eligibleCount!: number;
  @Field(() => Int, { description: '待核实（缺少数据）企业数' }) unknownCount!: number;
  @Field(() => FenScalar, { description: '白名单金额合计（分，金额未知的不计）' }) totalAmountFen!: number;
  @Field({ description: '白名单摘要 SHA-256：政策、版本、地区、日期与每条（信用代码、金额）；数据不变则摘要不变，确认白名单时据此核对' }) digest!: string;
}
