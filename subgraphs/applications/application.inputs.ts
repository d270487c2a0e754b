import { ArrayMaxSize, ValidateNested } from 'class-validator';
import { GraphQLJSON } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import { echo } from '../../platform/errors';
import { FenScalar } from '../kit/money';
import { PageArgs } from '../kit/pagination';
import { BankAccountNumber, EachText, PolicyCode, rule, SafeText, unsafeTextProblem } from '../kit/validation';
import { UPLOAD_ID_PATTERN } from './materials/lookup';
import { PROGRESS_KINDS } from './workflow/requirements';
import { ApplicationStatus, Channel } from './workflow/table';

/** The guide's form (`data`): bounded so one application cannot carry a database's worth of JSON. */
export const DATA_LIMITS = { bytes: 16 * 1024, depth: 4, keys: 200, keyLength: 64, stringLength: 2000 } as const;

/** Why `value` is not an acceptable form (`data`), or undefined. */
export function dataProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '申报数据（data）应为 JSON 对象，如 {"投资额": 5000000}';
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > DATA_LIMITS.bytes) return `申报数据（data）过大：不超过 ${DATA_LIMITS.bytes / 1024} KB`;
  let keys = 0;
  const walk = (node: unknown, depth: number): string | undefined => {
    if (typeof node === 'string') {
      const unsafe = unsafeTextProblem(node.replace(/[\n\t]/g, ' '));
      if (unsafe) return `申报数据中的文字${unsafe}`;
      return [...node].length > DATA_LIMITS.stringLength ? `申报数据中的文字每项不超过 ${DATA_LIMITS.stringLength} 个字符` : undefined;
    }
    if (typeof node !== 'object' || node === null) return typeof node === 'number' && !Number.isFinite(node) ? '申报数据中的数字无效' : undefined;
    if (depth > DATA_LIMITS.depth) return `申报数据（data）嵌套过深：不超过 ${DATA_LIMITS.depth} 层`;
    const entries = Array.isArray(node) ? node.map((v) => ['', v] as const) : Object.entries(node);
    for (const [key, child] of entries) {
      keys++;
      if (keys > DATA_LIMITS.keys) return `申报数据（data）的项数过多：不超过 ${DATA_LIMITS.keys} 项`;
      if (key) {
        const unsafe = unsafeTextProblem(key);
        if (unsafe || [...key].length > DATA_LIMITS.keyLength) return `申报数据的项名“${echo(key)}”无效：不超过 ${DATA_LIMITS.keyLength} 个字符，不含控制字符`;
      }
      const problem = walk(child, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return walk(value, 1);
}

const BoundedJson = () => rule('boundedJson', (value) => dataProblem(value));
const UploadId = () => rule('uploadId', (value) => (typeof value === 'string' && UPLOAD_ID_PATTERN.test(value) ? undefined : `上传编号应为 POST /uploads 返回的编号（8–64 位字母、数字、- 或 _），收到“${echo(value)}”`));
/** Longer free text (notes, reasons): line breaks allowed, other control characters not. */
export const NoteText = (label: string, max: number) =>
  rule('noteText', (value) => {
    if (typeof value !== 'string') return `${label}应为文本`;
    const unsafe = unsafeTextProblem(value.replace(/[\n\t]/g, ' '));
    if (unsafe) return `${label}${unsafe}`;
    const n = [...value].length;
    return n > max ? `${label}不超过${max}个字符，收到${n}个` : undefined;
  });
const IdempotencyKey = (label: string) =>
  rule('idempotencyKey', (value) => (typeof value === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(value) ? undefined : `${label}应为 8–64 位字母、数字、- 或 _，收到“${echo(value)}”`));
const OneOf = (label: string, allowed: readonly string[]) =>
  rule('oneOf', (value) => (typeof value === 'string' && allowed.includes(value) ? undefined : `${label}应为 ${allowed.join('、')} 之一，收到“${echo(value)}”`));

@InputType({ description: '一项申报材料：上传件的编号，或政府已有材料的引用（二者择一）' })
export class MaterialInput {
  @Field({ description: '材料名称（须为办事指南所列）' }) @SafeText({ label: '材料名称', max: 100 }) name!: string;
  @Field(() => String, { nullable: true, description: 'POST /uploads 返回的上传编号' }) @UploadId() uploadId?: string | null;
  @Field({ defaultValue: false, description: '政府已有，引用而不上传（如营业执照）' }) heldByGovernment!: boolean;
}

@InputType({ description: '信用承诺（承诺兑现类政策提交时签署）' })
export class CommitmentInput {
  @Field({ description: '已阅读并签署' }) signed!: boolean;
  @Field({ description: '承诺内容（原文）' }) @SafeText({ label: '承诺内容', min: 10, max: 2000 }) text!: string;
}

@InputType({ description: '提交申请。受理渠道由身份决定：企业为网上申报，窗口人员为所在窗口' })
export class SubmitApplicationInput {
  @Field({ description: '政策编号（按当前施行版本申报）' }) @PolicyCode() policyId!: string;
  @Field(() => CreditCodeScalar, { description: '申请企业；企业用户只能为本企业申请' }) creditCode!: string;
  @Field(() => GraphQLJSON, { nullable: true, description: `办事指南要求填报的内容（JSON 对象，不超过 ${DATA_LIMITS.bytes / 1024} KB、${DATA_LIMITS.depth} 层）` })
  @BoundedJson()
  data?: Record<string, unknown> | null;
  @Field(() => [MaterialInput], { defaultValue: [], description: '申报材料；政府已有的材料可不列，自动引用' })
  @ValidateNested({ each: true })
  @ArrayMaxSize(50)
  materials!: MaterialInput[];
  @Field(() => CommitmentInput, { nullable: true, description: '承诺兑现类政策必填' }) @ValidateNested() commitment?: CommitmentInput | null;
  @Field(() => String, { nullable: true }) @NoteText('备注', 500) note?: string | null;
}

@InputType({ description: '补正后重新提交：新给出的材料替换同名材料；data 给出时整体替换' })
export class ResubmitApplicationInput {
  @Field(() => GraphQLJSON, { nullable: true }) @BoundedJson() data?: Record<string, unknown> | null;
  @Field(() => [MaterialInput], { defaultValue: [] }) @ValidateNested({ each: true }) @ArrayMaxSize(50) materials!: MaterialInput[];
  @Field(() => CommitmentInput, { nullable: true }) @ValidateNested() commitment?: CommitmentInput | null;
  @Field(() => String, { nullable: true }) @NoteText('备注', 500) note?: string | null;
}

@InputType({ description: '形式审查：受理，或退回并一次性告知所缺的全部材料' })
export class CheckApplicationInput {
  @Field({ description: 'true 受理；false 退回补正' }) accept!: boolean;
  @Field(() => [String], { defaultValue: [], description: '退回时窗口补充的缺件或问题（系统另行算出未提交的必备材料，合并为一份清单）' })
  @ArrayMaxSize(50)
  @EachText('缺件事项', 200)
  missing!: string[];
  @Field(() => [String], { defaultValue: [], description: '容缺受理：先受理、后补交的材料（须为政策版本允许容缺的）' })
  @ArrayMaxSize(50)
  @EachText('容缺材料', 100)
  tolerated!: string[];
  @Field(() => String, { nullable: true }) @NoteText('审查意见', 1000) note?: string | null;
}

export const DepartmentOutcome = { APPROVED: 'APPROVED', REJECTED: 'REJECTED' } as const;
export type DepartmentOutcome = (typeof DepartmentOutcome)[keyof typeof DepartmentOutcome];
registerEnumType(DepartmentOutcome, { name: 'DepartmentOutcome', description: '主管部门的审核结果：通过 / 不予兑现' });

@InputType({ description: '主管部门业务系统推送的审核结果（幂等：同一 decisionId 同一内容重复推送不改变任何东西）' })
export class DepartmentDecisionInput {
  @Field(() => ID) applicationId!: string;
  @Field({ description: '部门系统自己的幂等键（8–64 位字母、数字、- 或 _）' }) @IdempotencyKey('decisionId') decisionId!: string;
  @Field(() => DepartmentOutcome) outcome!: DepartmentOutcome;
  @Field(() => FenScalar, { nullable: true, description: '核定金额（分）；通过时必填' }) amountFen?: number | null;
  @Field(() => String, { nullable: true, description: '收款账户；通过时必填' }) @BankAccountNumber() payeeAccount?: string | null;
  @Field(() => String, { nullable: true, description: '开户银行' }) @SafeText({ label: '开户银行', max: 100 }) payeeBank?: string | null;
  @Field(() => String, { nullable: true, description: '不予兑现的理由；不予兑现时必填' }) @NoteText('理由', 2000) reason?: string | null;
  @Field(() => String, { nullable: true, description: '政策解释；不予兑现时必填' }) @NoteText('政策解释', 2000) policyExplanation?: string | null;
  @Field(() => String, { nullable: true }) @NoteText('备注', 1000) note?: string | null;
}

@InputType({ description: '承诺兑现类：评审、专家评审或现场核查的进展（幂等：按 progressId）' })
export class DepartmentProgressInput {
  @Field(() => ID) applicationId!: string;
  @Field({ description: '部门系统自己的幂等键（8–64 位）' }) @IdempotencyKey('progressId') progressId!: string;
  @Field({ description: `${PROGRESS_KINDS.join(' | ')}` }) @OneOf('评审类别', PROGRESS_KINDS) kind!: string;
  @Field() @NoteText('进展说明', 2000) note!: string;
}

@InputType({ description: '办件筛选（均可选；结果总在调用者可见范围内）' })
export class ApplicationFilter {
  @Field(() => ApplicationStatus, { nullable: true }) status?: ApplicationStatus;
  @Field(() => String, { nullable: true, description: '主管部门代码' }) @SafeText({ label: '部门代码', max: 20 }) department?: string;
  @Field(() => CreditCodeScalar, { nullable: true }) creditCode?: string;
  @Field(() => String, { nullable: true }) @PolicyCode() policyId?: string;
  @Field(() => Channel, { nullable: true }) channel?: Channel;
}

@ArgsType()
export class ApplicationsArgs extends PageArgs {
  @Field(() => ApplicationFilter, { nullable: true }) @ValidateNested() filter?: ApplicationFilter;
}
