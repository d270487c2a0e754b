import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import { Sensitive } from '../kit/audit-trail';
import { FenScalar } from '../kit/money';

/** Where a case is in the department's back office (not the application's status: that is the applications subgraph's). */
export const DepartmentCaseStatus = {
  RECEIVED: 'RECEIVED',
  ASSIGNED: 'ASSIGNED',
  SURVEYING: 'SURVEYING',
  EVALUATING: 'EVALUATING',
  DECIDED: 'DECIDED',
  PUSHED: 'PUSHED',
} as const;
export type DepartmentCaseStatus = (typeof DepartmentCaseStatus)[keyof typeof DepartmentCaseStatus];
export const CASE_STATUS_NAMES: Record<DepartmentCaseStatus, string> = {
  RECEIVED: '已接收（待分派）',
  ASSIGNED: '已分派',
  SURVEYING: '现场核查中',
  EVALUATING: '评审中',
  DECIDED: '已作出决定（待回传）',
  PUSHED: '结果已回传',
};
/** Before the decision: the states a case can still be worked on in. */
export const OPEN_STATUSES: readonly DepartmentCaseStatus[] = ['RECEIVED', 'ASSIGNED', 'SURVEYING', 'EVALUATING'];
registerEnumType(DepartmentCaseStatus, {
  name: 'DepartmentCaseStatus',
  description: '部门办件状态（部门后台内部）',
  valuesConfig: Object.fromEntries(Object.entries(CASE_STATUS_NAMES).map(([status, description]) => [status, { description }])),
});

/** The department's result; the same names as the applications subgraph's `DepartmentOutcome`. */
export const DepartmentOutcome = { APPROVED: 'APPROVED', REJECTED: 'REJECTED' } as const;
export type DepartmentOutcome = (typeof DepartmentOutcome)[keyof typeof DepartmentOutcome];
registerEnumType(DepartmentOutcome, {
  name: 'DepartmentOutcome',
  description: '部门审核结果',
  valuesConfig: { APPROVED: { description: '批准' }, REJECTED: { description: '不予批准' } },
});

/** What a record is; the applications subgraph's progress kinds (recordDepartmentProgress). */
export const DepartmentRecordKind = { SITE_SURVEY: 'SITE_SURVEY', EVALUATION: 'EVALUATION', EXPERT_REVIEW: 'EXPERT_REVIEW' } as const;
export type DepartmentRecordKind = (typeof DepartmentRecordKind)[keyof typeof DepartmentRecordKind];
export const RECORD_KIND_NAMES: Record<DepartmentRecordKind, string> = { SITE_SURVEY: '现场核查', EVALUATION: '评估', EXPERT_REVIEW: '专家评审' };
registerEnumType(DepartmentRecordKind, {
  name: 'DepartmentRecordKind',
  description: '办件记录类型',
  valuesConfig: Object.fromEntries(Object.entries(RECORD_KIND_NAMES).map(([kind, description]) => [kind, { description }])),
});

/** How the policy pays; the same GraphQL enum as the policies subgraph's. */
const PolicyMode = { NO_APPLICATION: 'NO_APPLICATION', INSTANT: 'INSTANT', COMMITMENT: 'COMMITMENT' } as const;
export type PolicyMode = (typeof PolicyMode)[keyof typeof PolicyMode];
registerEnumType(PolicyMode, {
  name: 'PolicyMode',
  description: '兑现方式',
  valuesConfig: { NO_APPLICATION: { description: '免申即享' }, INSTANT: { description: '即申即享' }, COMMITMENT: { description: '承诺兑现' } },
});

/** One material of the application, as the intake accepted it (the files stay with the applications subgraph). */
@ObjectType({ description: '申请材料（受理时的清单）' })
export class DepartmentCaseMaterial {
  @Field({ description: '材料名称' })
  name!: string;

  @Field(() => String, { nullable: true, description: '上传文件编号；政府已掌握的材料为 null' })
  uploadId!: string | null;

  @Field(() => String, { nullable: true, description: '文件内容的 SHA-256' })
  sha256!: string | null;

  @Field({ description: '政府部门已掌握（共享获取），企业无需提交' })
  heldByGovernment!: boolean;
}

/**
 * 部门办件: an accepted application as the owning department's back office works it — assignment,
 * on-site survey and evaluation records, the decision — until the result is pushed back to the
 * applications subgraph. One per application (`applicationId` unique): the dispatch event
 * delivered twice still makes one case. The ORM entity is the GraphQL type; the payee account has
 * no @Field (served through `payee`, masked by role).
 */
@ObjectType({ description: '部门办件：已受理的申请在主管部门后台的办理（分派、现场核查与评审记录、审核决定、结果回传）' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'department_case' })
@Unique({ properties: ['applicationId'] })
// The inbox: a department's cases by status, oldest receipt first (keyset on receiptNumber).
@Index({ properties: ['department', 'status', 'receiptNumber'] })
@Index({ properties: ['department', 'receiptNumber'] })
export class DepartmentCase {
  /** Client-side UUID: the audit trail names it from its creation on. */
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Field(() => ID, { description: '申请（办件）编号：applications 子图的 Application.id' })
  @Property({ type: 'string', length: 36 })
  applicationId!: string;

  @Field({ description: '受理回执编号' })
  @Property({ type: 'string', length: 40, unique: true })
  receiptNumber!: string;

  @Field({ description: '政策编号' })
  @Property({ type: 'string', length: 20 })
  policyId!: string;

  @Field(() => Int, { description: '申请时施行的政策版本' })
  @Property({ type: 'integer' })
  policyVersion!: number;

  @Field({ description: '政策名称' })
  @Property({ type: 'string', length: 200 })
  policyTitle!: string;

  @Field(() => PolicyMode)
  @Property({ type: 'string', length: 20 })
  mode!: PolicyMode;

  @Field({ description: '主管部门代码，如 360732-MIIT' })
  @Property({ type: 'string', length: 20 })
  department!: string;

  @Field({ description: '企业所在地区' })
  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  @Field(() => CreditCodeScalar, { description: '申请企业' })
  @Property({ type: 'string', length: 18, index: true })
  creditCode!: string;

  @Field({ description: '企业名称' })
  @Property({ type: 'string', length: 200 })
  enterpriseName!: string;

  @Field({ description: '受理渠道（ONLINE、HALL_WINDOW、EDZ_WINDOW）' })
  @Property({ type: 'string', length: 20 })
  channel!: string;

  @Field({ description: '受理时间' })
  @Property({ type: 'datetime' })
  acceptedAt!: Date;

  @Field({ description: '部门收到的时间' })
  @Property({ type: 'datetime' })
  receivedAt!: Date;

  @Field(() => String, { nullable: true, description: '审核时限（YYYY-MM-DD，工作日计算，受理时确定）' })
  @Property({ type: 'string', length: 10, nullable: true })
  deadline!: string | null;

  @Field(() => [DepartmentCaseMaterial], { description: '申请材料' })
  @Property({ type: 'json' })
  materials!: DepartmentCaseMaterial[];

  @Field(() => [String], { description: '容缺受理的材料（后补）' })
  @Property({ type: 'json' })
  tolerated!: string[];

  /** The guide's form as the enterprise filled it in (GraphQL: `formData`). */
  @Property({ type: 'json' })
  formData!: Record<string, unknown>;

  @Field(() => DepartmentCaseStatus)
  @Property({ type: 'string', length: 20 })
  status!: DepartmentCaseStatus;

  @Field(() => String, { nullable: true, description: '承办人（审核人员的用户标识 sub）' })
  @Property({ type: 'string', length: 100, nullable: true })
  assignee!: string | null;

  @Field(() => Date, { nullable: true, description: '分派时间' })
  @Property({ type: 'datetime', nullable: true })
  assignedAt!: Date | null;

  @Field(() => String, { nullable: true, description: '决定编号：回传时的幂等键' })
  @Property({ type: 'string', length: 64, nullable: true })
  decisionId!: string | null;

  @Field(() => DepartmentOutcome, { nullable: true, description: '审核结果' })
  @Property({ type: 'string', length: 10, nullable: true })
  outcome!: DepartmentOutcome | null;

  @Field(() => FenScalar, { nullable: true, description: '核定金额（分）' })
  @Property({ type: 'bigint', runtimeType: 'number', nullable: true })
  amountFen!: number | null;

  @Sensitive()
  @Property({ type: 'string', length: 32, nullable: true })
  payeeAccount!: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  payeeBank!: string | null;

  @Field(() => String, { nullable: true, description: '不予批准的理由' })
  @Property({ type: 'text', nullable: true })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: '政策解释（不予批准时告知企业）' })
  @Property({ type: 'text', nullable: true })
  policyExplanation!: string | null;

  @Field(() => String, { nullable: true, description: '审核意见' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => Date, { nullable: true, description: '决定时间' })
  @Property({ type: 'datetime', nullable: true })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: '作出决定的人员或系统（sub）' })
  @Property({ type: 'string', length: 100, nullable: true })
  decidedBy!: string | null;

  @Field(() => Date, { nullable: true, description: '结果回传到受理平台的时间' })
  @Property({ type: 'datetime', nullable: true })
  pushedAt!: Date | null;

  @Field(() => String, { nullable: true, description: '受理平台拒收结果时的原因（可修改决定后重新提交）；回传中或成功时为 null' })
  @Property({ type: 'string', length: 600, nullable: true })
  pushError!: string | null;

  @Field({ description: '最后修改时间' })
  @Property({ type: 'datetime' })
  updatedAt!: Date;
}

/**
 * 现场核查 / 评估 / 专家评审 record of a case. Its id is also the `progressId` the applications
 * subgraph keys `recordDepartmentProgress` by (COMMITMENT cases): pushed once, whatever retries.
 */
@ObjectType({ description: '办件记录：现场核查、评估或专家评审' })
@Entity({ tableName: 'department_case_record' })
@Index({ properties: ['caseId', 'recordedAt'] })
export class DepartmentCaseRecord {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 36 })
  caseId!: string;

  @Field(() => DepartmentRecordKind)
  @Property({ type: 'string', length: 20 })
  kind!: DepartmentRecordKind;

  @Field({ description: '核查或评审日期（YYYY-MM-DD）' })
  @Property({ type: 'string', length: 10 })
  date!: string;

  @Field(() => [String], { description: '参加人员' })
  @Property({ type: 'json' })
  people!: string[];

  @Field({ description: '发现的情况' })
  @Property({ type: 'text' })
  findings!: string;

  @Field({ description: '结论' })
  @Property({ type: 'text' })
  conclusion!: string;

  @Field(() => String, { nullable: true, description: '记录人（sub）' })
  @Property({ type: 'string', length: 100, nullable: true })
  recordedBy!: string | null;

  @Field({ description: '记录时间' })
  @Property({ type: 'datetime' })
  recordedAt!: Date;

  @Field(() => Date, { nullable: true, description: '承诺兑现：记入受理平台办件进度的时间；即申即享的记录只留在部门' })
  @Property({ type: 'datetime', nullable: true })
  pushedAt!: Date | null;

  @Field(() => String, { nullable: true, description: '受理平台拒收该记录时的原因' })
  @Property({ type: 'string', length: 600, nullable: true })
  pushError!: string | null;
}
