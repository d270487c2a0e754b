import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FenScalar } from '../../kit/money';
import { PolicyView } from '../policy.types';

export const PolicyMatchOutcome = { ELIGIBLE: 'ELIGIBLE', NEARLY: 'NEARLY' } as const;
export type PolicyMatchOutcome = (typeof PolicyMatchOutcome)[keyof typeof PolicyMatchOutcome];
registerEnumType(PolicyMatchOutcome, {
  name: 'PolicyMatchOutcome',
  description: '政策计算器结论',
  valuesConfig: {
    ELIGIBLE: { description: '符合：全部条件满足' },
    NEARLY: { description: '接近符合：只因缺少数据无法判断，或仅差一项条件' },
  },
});

@ObjectType({ description: '政策计算器的一条结果：企业符合或接近符合的一项已发布政策' })
export class EligiblePolicy {
  @Field(() => PolicyView) policy!: PolicyView;
  @Field(() => Int, { description: '据以计算的政策版本号（施行版本）' }) version!: number;
  @Field(() => PolicyMatchOutcome) outcome!: PolicyMatchOutcome;
  @Field(() => FenScalar, { nullable: true, description: '预计兑现金额（分）；依赖企业申报数据（如投资额）时为 null' }) estimatedAmountFen!: number | null;
  @Field({ description: '金额计算说明' }) amountText!: string;
  @Field(() => [String], { description: '不满足的条件（中文）' }) unmetConditions!: string[];
  @Field(() => [String], { description: '因缺少数据无法判断的条件（中文）' }) unknownConditions!: string[];
  @Field(() => [String], { description: '逐条判断说明（✓ 满足 ✗ 不满足 ？ 无法判断，缩进表示层级）' }) explanation!: string[];
  @Field({ description: '计算日期 YYYY-MM-DD（北京时间）' }) evaluatedOn!: string;
}
