import { ArrayMaxSize, ArrayMinSize, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { echo } from '../../platform/errors';
import { FenScalar } from '../kit/money';
import { ConnectionType, PageArgs } from '../kit/pagination';
import { BankAccountNumber, CalendarDate, rule, SafeText, unsafeTextProblem, UUID } from '../kit/validation';
import { DepartmentCase, DepartmentCaseStatus, DepartmentOutcome } from './department-case.entity';


/** A case id: a UUID, checked before anything is loaded. */
export const CaseIdRule = () => rule('caseId', (value) => (typeof value === 'string' && UUID.test(value) ? undefined : `办件编号应为 UUID，收到“${echo(value)}”`));

export const DepartmentCodeRule = () =>
  rule('departmentCode', (value) => (typeof value === 'string' && /^\d{6}-[A-Z]{2,10}$/.test(value) ? undefined : `部门代码应形如 360732-MIIT，收到“${echo(value)}”`));

/**
 * Free text of a record or a decision: line breaks and tabs allowed, other control characters not;
 * at most `max` characters. `required`: not blank either. The decision's texts are not required
 * here: which ones are depends on the outcome, checked with the others at once (decisionProblems).
 */
export function NoteText(label: string, max: number, { required = true } = {}) {
  return rule('noteText', (value) => {
    if (typeof value !== 'string') return `${label}应为文本`;
    const unsafe = unsafeTextProblem(value.replace(/[\n\t]/g, ' '));
    if (unsafe) return `${label}${unsafe}`;
    const n = [...value].length;
    if (required && !value.trim()) return `${label}不能为空`;
    if (n > max) return `${label}不能超过${max}个字符，收到${n}个`;
    return undefined;
  });
}

const EachPerson = () =>
  rule('eachPerson', (value) => {
    for (const v of value as unknown[]) {
      if (typeof v !== 'string') return '参加人员应为文本';
      const unsafe = unsafeTextProblem(v);
      if (unsafe) return `参加人员${unsafe}`;
      if (!v.trim() || [...v].length > 50) return '参加人员每项不能为空且不超过50个字符';
    }
    return undefined;
  });

/** Survey and review dates: not before the platform existed, not in the future. */
const RecordDate = () => CalendarDate({ label: '日期', min: '2020-01-01' });

@ObjectType({ description: '收款账户（批准时核定）；部门本身和审批局明文，审计掩码' })
export class DepartmentCasePayee {
  @Field(() => String, { nullable: true, description: '开户银行' })
  bank!: string | null;

  @Field({ description: '银行账号' })
  account!: string;

  @Field({ description: '是否已掩码' })
  masked!: boolean;
}

export const DepartmentCaseConnection = ConnectionType(DepartmentCase, 'DepartmentCase', '部门办件（分页，按受理回执编号）');

@ArgsType()
export class DepartmentCasesArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: '部门代码；部门人员默认本部门（只能查看本部门）' })
  @DepartmentCodeRule()
  department?: string | null;

  @Field(() => DepartmentCaseStatus, { nullable: true, description: '只列出该状态的办件' })
  status?: DepartmentCaseStatus | null;

  @Field(() => String, { nullable: true, description: '只列出分派给该承办人（sub）的办件' })
  @SafeText({ label: '承办人', max: 100 })
  assignee?: string | null;
}

@ArgsType()
export class CaseIdArgs {
  @Field(() => ID, { description: '办件编号' })
  @CaseIdRule()
  id!: string;
}

@ArgsType()
export class AssignArgs extends CaseIdArgs {
  @Field({ description: '承办人：审核人员的用户标识（令牌的 sub）' })
  @SafeText({ label: '承办人', max: 100 })
  reviewer!: string;
}

@InputType({ description: '现场核查记录' })
export class SiteSurveyInput {
  @Field({ description: '核查日期（YYYY-MM-DD，不晚于今天）' })
  @RecordDate()
  date!: string;

  @Field(() => [String], { description: '参加人员（1–20人）' })
  @ArrayMinSize(1, { message: '请填写参加人员' })
  @ArrayMaxSize(20, { message: '参加人员至多20人' })
  @EachPerson()
  people!: string[];

  @Field({ description: '核查发现的情况' })
  @NoteText('核查情况', 4000)
  findings!: string;

  @Field({ description: '核查结论' })
  @NoteText('核查结论', 2000)
  conclusion!: string;
}

export const EvaluationKind = { EVALUATION: 'EVALUATION', EXPERT_REVIEW: 'EXPERT_REVIEW' } as const;
export type EvaluationKind = (typeof EvaluationKind)[keyof typeof EvaluationKind];
registerEnumType(EvaluationKind, {
  name: 'DepartmentEvaluationKind',
  description: '评审方式',
  valuesConfig: { EVALUATION: { description: '评估' }, EXPERT_REVIEW: { description: '专家评审' } },
});

@InputType({ description: '评估或专家评审记录' })
export class EvaluationInput extends SiteSurveyInput {
  @Field(() => EvaluationKind, { defaultValue: 'EVALUATION', description: '评估或专家评审' })
  kind!: EvaluationKind;
}

@ArgsType()
export class SiteSurveyArgs extends CaseIdArgs {
  @Field(() => SiteSurveyInput)
  @ValidateNested()
  input!: SiteSurveyInput;
}

@ArgsType()
export class EvaluationArgs extends CaseIdArgs {
  @Field(() => EvaluationInput)
  @ValidateNested()
  input!: EvaluationInput;
}

/**
 * The department's decision. Approval: the amount (> 0 fen) and the payee account; rejection: the
 * reason and the policy explanation the enterprise will read (both required, never an amount).
 * Those rules depend on the outcome, so the resolver checks them (all at once) after these
 * field-by-field rules.
 */
@InputType({ description: '审核决定：批准须有核定金额和收款账户；不予批准须有理由和政策解释' })
export class DecideDepartmentCaseInput {
  @Field(() => DepartmentOutcome)
  outcome!: DepartmentOutcome;

  @Field(() => FenScalar, { nullable: true, description: '核定金额（分，大于0）；批准时必填' })
  amountFen?: number | null;

  @Field(() => String, { nullable: true, description: '收款账号（8–32位数字）；批准时必填' })
  @BankAccountNumber()
  payeeAccount?: string | null;

  @Field(() => String, { nullable: true, description: '开户银行' })
  @SafeText({ label: '开户银行', max: 100 })
  payeeBank?: string | null;

  @Field(() => String, { nullable: true, description: '不予批准的理由；不予批准时必填' })
  @NoteText('不予批准的理由', 2000, { required: false })
  reason?: string | null;

  @Field(() => String, { nullable: true, description: '政策解释（告知企业依据哪条政策、为何不符合）；不予批准时必填' })
  @NoteText('政策解释', 2000, { required: false })
  policyExplanation?: string | null;

  @Field(() => String, { nullable: true, description: '审核意见' })
  @NoteText('审核意见', 1000, { required: false })
  note?: string | null;
}

@ArgsType()
export class DecideArgs extends CaseIdArgs {
  @Field(() => DecideDepartmentCaseInput)
  @ValidateNested()
  input!: DecideDepartmentCaseInput;
}
