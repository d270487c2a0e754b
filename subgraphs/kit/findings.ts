import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';

/**
 * What a joint-audit source says about an enterprise, in one shape for every source: the joint
 * audit `@requires` each source's `Enterprise.<source>Findings` and applies the rules of a policy.
 * These are `@shareable` value types, identical in every subgraph that carries them (the sources
 * and the joint audit import these very classes). Categories are listed here only.
 */
export enum FindingCategory {
  SERIOUS_DISHONESTY = 'SERIOUS_DISHONESTY',
  PUBLIC_CREDIT_LOW = 'PUBLIC_CREDIT_LOW',
  TAX_CREDIT_D = 'TAX_CREDIT_D',
  TAX_ARREARS = 'TAX_ARREARS',
  STATISTICS_VIOLATION = 'STATISTICS_VIOLATION',
  GANG_RELATED = 'GANG_RELATED',
  ENVIRONMENTAL_PENALTY = 'ENVIRONMENTAL_PENALTY',
  SAFETY_VIOLATION = 'SAFETY_VIOLATION',
  SAFETY_ACCIDENT = 'SAFETY_ACCIDENT',
  LAND_VIOLATION = 'LAND_VIOLATION',
  CONSTRUCTION_VIOLATION = 'CONSTRUCTION_VIOLATION',
  ACCOUNT_NOT_VERIFIED = 'ACCOUNT_NOT_VERIFIED',
}
registerEnumType(FindingCategory, {
  name: 'FindingCategory',
  description: '联合审核发现的类别',
  valuesConfig: {
    SERIOUS_DISHONESTY: { description: '列入严重失信主体名单（县发改委）' },
    PUBLIC_CREDIT_LOW: { description: '公共信用评价为 C 或 D 级（县发改委）' },
    TAX_CREDIT_D: { description: '纳税信用 D 级（县税务局）' },
    TAX_ARREARS: { description: '欠缴税款（县税务局）' },
    STATISTICS_VIOLATION: { description: '统计违法行为（县统计局）' },
    GANG_RELATED: { description: '涉黑涉恶（县公安局）' },
    ENVIRONMENTAL_PENALTY: { description: '环境行政处罚（县生态环境局）' },
    SAFETY_VIOLATION: { description: '安全生产违法行为（县应急管理局）' },
    SAFETY_ACCIDENT: { description: '生产安全事故（县应急管理局）' },
    LAND_VIOLATION: { description: '自然资源（土地、矿产）违法（县自然资源局）' },
    CONSTRUCTION_VIOLATION: { description: '住房和城乡建设领域违法（县住建局）' },
    ACCOUNT_NOT_VERIFIED: { description: '无以企业为户名的正常状态结算账户（人民银行）' },
  },
});

export enum FindingSeverity {
  INFO = 'INFO',
  MINOR = 'MINOR',
  SERIOUS = 'SERIOUS',
}
registerEnumType(FindingSeverity, {
  name: 'FindingSeverity',
  description: '发现的严重程度',
  valuesConfig: { INFO: { description: '提示' }, MINOR: { description: '一般' }, SERIOUS: { description: '严重' } },
});

@ObjectType({ description: '一条联合审核发现（来自一个数据来源的一条记录）' })
@Directive('@shareable')
export class AuditFinding {
  @Field({ description: '来源子图，如 ecology' })
  source!: string;

  @Field(() => FindingCategory)
  category!: FindingCategory;

  @Field(() => FindingSeverity)
  severity!: FindingSeverity;

  @Field({ description: '发生日期 YYYY-MM-DD（列入、处罚、事故、评价日期等）' })
  occurredOn!: string;

  @Field(() => String, { nullable: true, description: '结束日期 YYYY-MM-DD（移出、整改完毕、缴清）；null 表示仍然有效' })
  endsOn!: string | null;

  @Field({ description: '文号，如 兴环罚〔2025〕12号' })
  reference!: string;

  @Field({ description: '原因（可直接向企业宣读的中文）' })
  reason!: string;

  @Field({ description: '该记录在来源处的记录时间（数据时点）' })
  recordedAt!: Date;
}

@ObjectType({ description: '一个数据来源对一家企业的全部发现（含历史，均带日期）' })
@Directive('@shareable')
export class SourceFindings {
  @Field({ description: '来源子图名，如 ecology' })
  source!: string;

  @Field({ description: '来源部门，如 县生态环境局' })
  department!: string;

  @Field({ description: '来源应答时间（来源的时钟）' })
  answeredAt!: Date;

  @Field({ description: '来源数据的时点（其记录最近一次更新）' })
  asOf!: Date;

  @Field(() => [AuditFinding])
  findings!: AuditFinding[];
}
