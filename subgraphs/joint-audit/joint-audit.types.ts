import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import { FindingCategory, FindingSeverity } from '../kit/findings';

export enum JointAuditOutcome {
  PASS = 'PASS',
  WARN = 'WARN',
  HOLD = 'HOLD',
}
registerEnumType(JointAuditOutcome, {
  name: 'JointAuditOutcome',
  description: '联合审核结论',
  valuesConfig: {
    PASS: { description: '通过：各来源均已核查，无影响兑现的记录' },
    WARN: { description: '提示：有需要经办人留意的记录，但不阻止兑现' },
    HOLD: { description: '暂缓：有阻止兑现的记录，或有来源无法核查' },
  },
});

export enum JointAuditEffect {
  HOLD = 'HOLD',
  WARN = 'WARN',
  INFO = 'INFO',
}
registerEnumType(JointAuditEffect, { name: 'JointAuditEffect', description: '一条发现对结论的影响：暂缓、提示或仅供参考（无规则适用）' });

export enum JointAuditRuleEffect {
  HOLD = 'HOLD',
  WARN = 'WARN',
}
registerEnumType(JointAuditRuleEffect, { name: 'JointAuditRuleEffect', description: '规则命中时的影响' });

export enum JointAuditSourceState {
  ANSWERED = 'ANSWERED',
  UNAVAILABLE = 'UNAVAILABLE',
}
registerEnumType(JointAuditSourceState, { name: 'JointAuditSourceState', description: '数据来源是否已应答（宕机、超时、拒绝或无数据均为 UNAVAILABLE）' });

@ObjectType({ description: '联合审核规则：哪个来源的哪类记录，在什么时间范围内，产生什么影响' })
export class JointAuditRule {
  @Field(() => String, { description: '数据来源子图名称，如 ecology' })
  source!: string;

  @Field(() => FindingCategory)
  category!: FindingCategory;

  @Field(() => Int, { nullable: true, description: '只看核查日期前多少个月内发生的记录；null 表示不限时间' })
  withinMonths!: number | null;

  @Field(() => Boolean, { description: 'true：只看核查日期仍然有效（未解除、未整改、未缴清）的记录' })
  activeOnly!: boolean;

  @Field(() => JointAuditRuleEffect)
  effect!: JointAuditRuleEffect;

  @Field(() => String, { description: '规则的中文说明' })
  description!: string;
}

@InputType({ description: '一条联合审核规则' })
export class JointAuditRuleInput {
  @Field(() => String, { description: '数据来源子图名称：credit、tax、statistics、public-security、ecology、work-safety、natural-resources、housing、pboc' })
  source!: string;

  @Field(() => FindingCategory)
  category!: FindingCategory;

  @Field(() => Int, { nullable: true, description: '1–120 个月；留空表示不限时间' })
  withinMonths?: number | null;

  @Field(() => Boolean, { defaultValue: false })
  activeOnly!: boolean;

  @Field(() => JointAuditRuleEffect)
  effect!: JointAuditRuleEffect;
}

@ObjectType({ description: '一项政策的联合审核规则' })
export class JointAuditRuleSet {
  @Field(() => String)
  policyCode!: string;

  @Field(() => Boolean, { description: 'true：该政策未单独配置，使用默认规则' })
  isDefault!: boolean;

  @Field(() => String, { nullable: true, description: '配置所属地区（默认规则为 null）' })
  regionCode!: string | null;

  @Field(() => Date, { nullable: true })
  updatedAt!: Date | null;

  @Field(() => [JointAuditRule])
  rules!: JointAuditRule[];
}

@ObjectType({ description: '一条发现及其对结论的影响' })
export class JointAuditFinding {
  @Field(() => String)
  source!: string;

  @Field(() => String, { description: '来源部门' })
  department!: string;

  @Field(() => FindingCategory)
  category!: FindingCategory;

  @Field(() => FindingSeverity)
  severity!: FindingSeverity;

  @Field(() => String)
  occurredOn!: string;

  @Field(() => String, { nullable: true })
  endsOn?: string | null;

  @Field(() => Boolean, { description: '核查日期时仍然有效' })
  inEffect!: boolean;

  @Field(() => String, { description: '文号' })
  reference!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => Date)
  recordedAt!: Date;

  @Field(() => JointAuditEffect)
  effect!: JointAuditEffect;

  @Field(() => JointAuditRule, { nullable: true, description: '决定影响的规则；INFO 时为 null' })
  rule!: JointAuditRule | null;
}

@ObjectType({ description: '一个数据来源在本次核查中的应答情况' })
export class JointAuditSourceStatus {
  @Field(() => String)
  source!: string;

  @Field(() => String)
  department!: string;

  @Field(() => JointAuditSourceState)
  status!: JointAuditSourceState;

  @Field(() => Date, { nullable: true, description: '来源应答时间' })
  answeredAt!: Date | null;

  @Field(() => Date, { nullable: true, description: '来源数据的截至时间' })
  asOf!: Date | null;
}

@ObjectType({ description: '联合审核结论（县行政审批局）' })
export class JointAuditVerdict {
  @Field(() => CreditCodeScalar)
  creditCode!: string;

  @Field(() => String)
  policyCode!: string;

  @Field(() => String, { description: '核查日期 YYYY-MM-DD' })
  asOf!: string;

  @Field(() => JointAuditOutcome)
  verdict!: JointAuditOutcome;

  @Field(() => [JointAuditFinding], { description: '截至核查日期的全部记录（含已解除的历史），各带影响' })
  findings!: JointAuditFinding[];

  @Field(() => [JointAuditSourceStatus])
  sources!: JointAuditSourceStatus[];

  @Field(() => [String], { description: '结论的理由，中文，可直接告知企业' })
  reasons!: string[];

  @Field(() => [JointAuditRule], { description: '本次核查使用的规则' })
  rules!: JointAuditRule[];

  @Field(() => Boolean, { description: 'true：该政策未单独配置，使用默认规则' })
  rulesAreDefault!: boolean;
}
