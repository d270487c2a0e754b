import { GraphQLJSON } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import { FenScalar } from '../kit/money';
import { ConnectionType } from '../kit/pagination';
import { ApplicationStatus, Channel, CHANNEL_NAMES, Mode, MODE_NAMES, STATUS_NAMES } from './workflow/table';

// The policies subgraph's enum, repeated (a subgraph imports no other's code): composition fails if they drift apart.
const PolicyModeCopy = { ...Mode };
registerEnumType(PolicyModeCopy, {
  name: 'PolicyMode',
  description: '兑现方式',
  valuesConfig: Object.fromEntries(Object.entries(MODE_NAMES).map(([mode, description]) => [mode, { description }])),
});
registerEnumType(ApplicationStatus, {
  name: 'ApplicationStatus',
  description: '办件状态',
  valuesConfig: Object.fromEntries(Object.entries(STATUS_NAMES).map(([status, description]) => [status, { description }])),
});
registerEnumType(Channel, {
  name: 'ApplicationChannel',
  description: '受理渠道（由身份决定，不由输入决定）',
  valuesConfig: Object.fromEntries(Object.entries(CHANNEL_NAMES).map(([channel, description]) => [channel, { description }])),
});

@ObjectType('ApplicationMaterial', { description: '申报材料：上传件（编号与 SHA-256）或政府已有材料的引用' })
export class ApplicationMaterialView {
  @Field({ description: '材料名称（办事指南所列）' }) name!: string;
  @Field(() => String, { nullable: true, description: '上传编号；政府已有材料为 null' }) uploadId!: string | null;
  @Field({ description: '政府已有，共享获取，无需上传' }) heldByGovernment!: boolean;
  @Field(() => String, { nullable: true, description: '内容的 SHA-256（十六进制）' }) sha256!: string | null;
  @Field(() => String, { nullable: true }) mediaType!: string | null;
  @Field(() => Int, { nullable: true, description: '字节数' }) size!: number | null;
}

@ObjectType('ApplicationStep', { description: '办事进度的一步：谁、何时、做了什么、当时的期限' })
export class ApplicationStepView {
  @Field(() => Int, { description: '序号（从 1 起）' }) seq!: number;
  @Field({ description: '流程动作：submit、return、accept、approve …（docs/workflows.md）' }) action!: string;
  @Field({ description: '步骤名称' }) name!: string;
  @Field(() => ApplicationStatus, { nullable: true, description: '之前状态；创建案件的一步为 null' }) fromStatus!: ApplicationStatus | null;
  @Field(() => ApplicationStatus) toStatus!: ApplicationStatus;
  @Field({ description: '办理角色；平台自动步骤为 SYSTEM' }) actorRole!: string;
  @Field(() => String, { nullable: true, description: '办理人或系统标识' }) actorSubject!: string | null;
  @Field(() => String, { nullable: true, description: '办理部门' }) actorDepartment!: string | null;
  @Field(() => Date) at!: Date;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => String, { nullable: true, description: '进入状态的办理期限（YYYY-MM-DD，工作日计）' }) deadline!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: '此步的细节（缺件清单、评审类别、核定金额 …）' }) details!: Record<string, unknown> | null;
}

@ObjectType('ApplicationReceipt', { description: '受理回执：企业凭回执编号查询办理进度' })
export class ApplicationReceipt {
  @Field() receiptNumber!: string;
  @Field(() => Date, { description: '出具时间（提交时间）' }) issuedAt!: Date;
  @Field(() => Channel) channel!: Channel;
  @Field({ description: '受理渠道名称' }) channelName!: string;
  @Field(() => String, { nullable: true, description: '受理窗口所属部门名称；网上申报为 null' }) intakeDepartmentName!: string | null;
  @Field(() => CreditCodeScalar) creditCode!: string;
  @Field() enterpriseName!: string;
  @Field() policyId!: string;
  @Field() policyTitle!: string;
  @Field(() => Int) policyVersion!: number;
  @Field(() => [ApplicationMaterialView], { description: '收到的材料（上传件附 SHA-256；政府已有材料为引用）' }) received!: ApplicationMaterialView[];
  @Field(() => String, { nullable: true, description: '形式审查的期限（YYYY-MM-DD，法定工作日）' }) deadline!: string | null;
  @Field(() => Int, { nullable: true }) deadlineWorkdays!: number | null;
  @Field({ description: '回执正文' }) text!: string;
}

/** The policies subgraph's Policy, by key only: the gateway fetches its fields there. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Policy')
export class PolicyReference {
  @Field() id!: string;
}

/** The enterprises subgraph's Enterprise: this subgraph adds `applications`. */
@Directive('@key(fields: "creditCode")')
@ObjectType('Enterprise')
export class EnterpriseReference {
  @Field(() => CreditCodeScalar) creditCode!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Application', { description: '办件（惠企政策兑现申请）。Owned by the applications subgraph (县行政审批局，一窗受理).' })
export class ApplicationView {
  @Field(() => ID) id!: string;
  @Field({ description: '受理回执编号，如 360732-20261126-000042' }) receiptNumber!: string;
  @Field({ description: '政策编号' }) policyId!: string;
  @Field(() => Int, { description: '申报时锁定的政策版本' }) policyVersion!: number;
  @Field() policyTitle!: string;
  @Field(() => PolicyModeCopy) mode!: Mode;
  @Field({ description: '主管（审核）部门代码' }) department!: string;
  @Field() regionCode!: string;
  @Field(() => CreditCodeScalar) creditCode!: string;
  @Field() enterpriseName!: string;
  @Field(() => Channel) channel!: Channel;
  @Field(() => String, { nullable: true, description: '受理窗口所属部门；网上申报为 null' }) intakeDepartment!: string | null;
  @Field(() => ApplicationStatus) status!: ApplicationStatus;
  @Field({ description: '状态名称' }) statusName!: string;
  @Field({ description: '政策申报期（同一政策、同一企业、同一申报期只能申请一次）' }) period!: string;
  @Field(() => GraphQLJSON, { description: '办事指南要求填报的内容' }) data!: Record<string, unknown>;
  @Field(() => Date, { nullable: true, description: '承诺兑现：签署信用承诺的时间' }) commitmentSignedAt!: Date | null;
  @Field(() => String, { nullable: true, description: '承诺兑现：所签信用承诺的内容' }) commitmentText!: string | null;
  @Field(() => [ApplicationMaterialView]) materials!: ApplicationMaterialView[];
  @Field(() => [String], { description: '一次性告知：退回补正时所缺的全部材料或事项' }) missingMaterials!: string[];
  @Field(() => [String], { description: '容缺受理：待补交的材料' }) toleratedMaterials!: string[];
  @Field(() => FenScalar, { nullable: true, description: '核定金额（分）' }) amountFen!: number | null;
  @Field(() => String, { nullable: true, description: '收款账户（脱敏）' }) payeeAccount!: string | null;
  @Field(() => String, { nullable: true, description: '开户银行' }) payeeBank!: string | null;
  @Field(() => String, { nullable: true, description: '不予兑现的理由（企业可见）' }) rejectionReason!: string | null;
  @Field(() => String, { nullable: true, description: '不予兑现的政策解释（企业可见）' }) policyExplanation!: string | null;
  @Field(() => String, { nullable: true, description: '联合审核结论 PASS / WARN / HOLD' }) jointAuditVerdict!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: '联合审核的理由' }) jointAuditReasons!: unknown[] | null;
  @Field(() => GraphQLJSON, { nullable: true, description: '联合审核的发现' }) jointAuditFindings!: unknown[] | null;
  @Field(() => Date, { description: '进入当前状态的时间' }) stateEnteredAt!: Date;
  @Field(() => String, { nullable: true, description: '当前步骤的办理期限（YYYY-MM-DD，法定工作日）；无时限或无法计算时为 null' }) deadline!: string | null;
  @Field(() => Int, { nullable: true, description: '当前步骤的时限（工作日）' }) deadlineWorkdays!: number | null;
  @Field(() => String, { nullable: true, description: '期限无法计算的原因（该年度节假日安排尚未公布）：标出，不猜' }) deadlineProblem!: string | null;
  @Field(() => Date) submittedAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => ApplicationReceipt, { description: '受理回执' }) receipt!: ApplicationReceipt;
  @Field(() => PolicyReference) policy!: PolicyReference;
  @Field(() => EnterpriseReference) enterprise!: EnterpriseReference;
  @Field(() => [ApplicationStepView]) timeline!: ApplicationStepView[];
}

export const ApplicationConnection = ConnectionType(ApplicationView, 'Application', '办件列表（分页）');
