import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';

/**
 * The uniform findings every joint-audit source adds to `Enterprise` as `<camelName>Findings`
 * (CONTRACT §3). One definition for the whole graph: these are `@shareable` value types, identical
 * in every subgraph that declares them, so the joint audit can `@requires` them all.
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
registerEnumType(FindingCategory, { name: 'FindingCategory', description: '联合审核发现的类别' });

export enum FindingSeverity {
  INFO = 'INFO',
  MINOR = 'MINOR',
  SERIOUS = 'SERIOUS',
}
registerEnumType(FindingSeverity, { name: 'FindingSeverity', description: '发现的严重程度（来源部门的判断）' });

@ObjectType({ description: '数据来源部门关于企业的一条记录（联合审核用）' })
@Directive('@shareable')
export class AuditFinding {
  @Field(() => String, { description: '来源子图名称，如 ecology' })
  source!: string;

  @Field(() => FindingCategory)
  category!: FindingCategory;

  @Field(() => FindingSeverity)
  severity!: FindingSeverity;

  @Field(() => String, { description: '发生日期 YYYY-MM-DD（列入、处罚、事故、评价日期等）' })
  occurredOn!: string;

  @Field(() => String, { nullable: true, description: '解除、整改完成或缴清日期 YYYY-MM-DD；null 表示仍然有效' })
  endsOn?: string | null;

  @Field(() => String, { description: '文号，如 兴环罚〔2025〕12号' })
  reference!: string;

  @Field(() => String, { description: '窗口人员可以直接读给企业听的说明' })
  reason!: string;

  @Field(() => Date, { description: '该记录在来源部门的截至时间' })
  recordedAt!: Date;
}

@ObjectType({ description: '一个数据来源对企业的全部记录（含历史，带日期）' })
@Directive('@shareable')
export class SourceFindings {
  @Field(() => String, { description: '来源子图名称，如 ecology' })
  source!: string;

  @Field(() => String, { description: '来源部门，如 县生态环境局' })
  department!: string;

  @Field(() => Date, { description: '来源应答时间（来源的时钟）' })
  answeredAt!: Date;

  @Field(() => Date, { description: '来源数据的截至时间（其记录的最近更新）' })
  asOf!: Date;

  @Field(() => [AuditFinding])
  findings!: AuditFinding[];
}
