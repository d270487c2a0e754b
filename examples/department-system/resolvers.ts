import { randomUUID } from 'node:crypto';
import type DataLoader from 'dataloader';
import { GraphQLScalarType, Kind } from 'graphql';
import { HrssError, invalidInput, type FieldProblem } from './errors';
import { regionCovers, type Identity } from './identity';
import type { CaseWithReview, ReviewRow, Store } from './store';

/** What every resolver gets: who asks (verified), the database, this request's batch loader. */
export interface Context {
  identity: Identity;
  store: Store;
  /** Cases by application id, batched: all references of one `_entities` call are one SELECT. */
  cases: DataLoader<string, CaseWithReview | null>;
  /** The departments whose cases this system decides, e.g. 360732-HRSS. */
  departments: readonly string[];
}

/** An Application as this subgraph knows it: the key, and our case (null: not ours, or not for this caller). */
interface ApplicationRef {
  id: string;
  case: CaseWithReview | null;
}

const APPLICATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DEPARTMENT = /^\d{6}-[A-Z]{2,12}$/;
/** Control, format (zero-width, bidi) and unpaired surrogate characters: never in a name or a note. */
const UNSAFE_TEXT = /[\p{Cc}\p{Cf}\p{Cs}]/u;

const unauthenticated = () => new HrssError('UNAUTHENTICATED', '请先登录：县人社局的审核记录需要身份认证');
const forbidden = (message = '无权访问：您的角色或所属部门不能查看或修改县人社局的审核记录') => new HrssError('FORBIDDEN', message);

const isStaff = (identity: Identity, departments: readonly string[]) =>
  (identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM') && !!identity.department && departments.includes(identity.department);

/**
 * Who may read review records at all, decided from the identity alone (before any row is loaded,
 * so a refusal says nothing about whether a record exists): this office's staff, the officials who
 * approve, pay or administer, the auditor, and an enterprise (its own cases, below).
 */
function assertMayReadReviews(ctx: Context): void {
  const { identity } = ctx;
  if (identity.role === null) throw unauthenticated();
  if (identity.role === 'WINDOW_CLERK') throw forbidden();
  if ((identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM') && !isStaff(identity, ctx.departments)) throw forbidden();
}

/** Which of the readers above may read this one case; anyone else gets it as if it did not exist. */
function mayReadCase(identity: Identity, c: CaseWithReview, departments: readonly string[]): boolean {
  switch (identity.role) {
    case 'DEPARTMENT_REVIEWER':
    case 'DEPARTMENT_SYSTEM':
      return isStaff(identity, departments) && identity.department === c.department;
    case 'APPROVAL_BUREAU':
    case 'FINANCE':
    case 'ADMIN':
      return !!identity.region && regionCovers(identity.region, c.region_code);
    case 'AUDITOR':
      return true;
    case 'ENTERPRISE':
      return identity.creditCode === c.credit_code;
    default:
      return false;
  }
}

function text(problems: FieldProblem[], field: string, label: string, value: unknown, { max, required = false }: { max: number; required?: boolean }): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (required) problems.push({ field, message: `${label}必填` });
    return null;
  }
  const trimmed = String(value).trim();
  if ([...trimmed].length > max) problems.push({ field, message: `${label}最多 ${max} 个字` });
  else if (UNSAFE_TEXT.test(trimmed)) problems.push({ field, message: `${label}含有控制字符或不可见字符` });
  return trimmed;
}

function integer(problems: FieldProblem[], field: string, label: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) problems.push({ field, message: `${label}应为 ${min}–${max} 的整数` });
}

const encodeCursor = (id: string) => Buffer.from(`c:${id}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string | undefined {
  if (cursor.length > 120 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  return decoded.startsWith('c:') && APPLICATION_ID.test(decoded.slice(2)) ? decoded.slice(2) : undefined;
}

const review = (c: CaseWithReview | null) => (c?.review ? reviewOut(c.review) : null);
const reviewOut = (r: ReviewRow) => ({
  reviewer: r.reviewer,
  employedHeadcount: r.employed_headcount,
  socialInsuranceMonths: r.social_insurance_months,
  conclusion: r.conclusion,
  amountFen: r.amount_fen,
  reason: r.reason,
  policyExplanation: r.policy_explanation,
  note: r.note,
  reviewedAt: r.reviewed_at,
  decisionId: r.decision_id,
  decisionRecordedAt: r.decision_recorded_at,
  decisionError: r.decision_error,
});

interface ReviewInput {
  applicationId: string;
  employedHeadcount: number;
  socialInsuranceMonths: number;
  conclusion: 'QUALIFIED' | 'NOT_QUALIFIED';
  amountFen?: number | null;
  payeeAccount?: string | null;
  payeeBank?: string | null;
  reason?: string | null;
  policyExplanation?: string | null;
  note?: string | null;
}

/** Money in integer fen, as the platform's `Fen`: a safe integer, never a float. */
const Fen = new GraphQLScalarType<number, number>({
  name: 'Fen',
  serialize: (value) => value as number,
  parseValue(value) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new HrssError('BAD_USER_INPUT', '金额以分为单位，应为整数');
    return value;
  },
  parseLiteral(ast) {
    const value = ast.kind === Kind.INT ? Number(ast.value) : NaN;
    if (!Number.isSafeInteger(value)) throw new HrssError('BAD_USER_INPUT', '金额以分为单位，应为整数');
    return value;
  },
});

/** Times are stored as ISO strings already; this scalar is output only here. */
const DateTimeISO = new GraphQLScalarType<string, string>({
  name: 'DateTimeISO',
  serialize: (value) => value as string,
  parseValue() {
    throw new HrssError('BAD_USER_INPUT', '本系统不接受时间参数');
  },
  parseLiteral() {
    throw new HrssError('BAD_USER_INPUT', '本系统不接受时间参数');
  },
});

export const resolvers = {
  Fen,
  DateTimeISO,
  Query: {
    employmentCases(_: unknown, args: { filter?: { department?: string | null; reviewed?: boolean | null } | null; first: number; after?: string | null }, ctx: Context) {
      const { identity } = ctx;
      if (identity.role === null) throw unauthenticated();
      if (identity.role !== 'AUDITOR' && !isStaff(identity, ctx.departments)) throw forbidden('县人社局收件箱只对本局工作人员、本局业务系统和审计开放');
      const problems: FieldProblem[] = [];
      const department = args.filter?.department ?? undefined;
      if (department !== undefined && !DEPARTMENT.test(department)) problems.push({ field: 'filter.department', message: '部门代码应形如 360732-HRSS' });
      if (!Number.isInteger(args.first) || args.first < 1 || args.first > 100) problems.push({ field: 'first', message: '每页条数应为 1–100' });
      const after = args.after ? decodeCursor(args.after) : undefined;
      if (args.after && !after) problems.push({ field: 'after', message: '分页游标无效：请使用上一页返回的 pageInfo.endCursor' });
      if (problems.length) throw invalidInput(problems);
      // Staff see their own department's cases only, whatever they ask for.
      if (identity.role !== 'AUDITOR' && department !== undefined && department !== identity.department) throw forbidden('只能查看本部门的案件');
      const departments = identity.role === 'AUDITOR' ? (department ? [department] : undefined) : [identity.department!];
      const page = ctx.store.listCases({ departments, reviewed: args.filter?.reviewed ?? undefined, first: args.first, after });
      return {
        nodes: page.rows,
        totalCount: page.totalCount,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.rows.length ? encodeCursor(page.rows.at(-1)!.application_id) : null },
      };
    },
  },
  Mutation: {
    recordEmploymentReview(_: unknown, { input }: { input: ReviewInput }, ctx: Context) {
      const { identity } = ctx;
      if (identity.role === null) throw unauthenticated();
      // A person decides: this office's reviewers, not its machine, not the auditor.
      if (identity.role !== 'DEPARTMENT_REVIEWER' || !isStaff(identity, ctx.departments)) throw forbidden('只有县人社局的审核员可以登记审核结果');
      const problems: FieldProblem[] = [];
      if (!APPLICATION_ID.test(input.applicationId)) problems.push({ field: 'applicationId', message: '申请编号无效' });
      integer(problems, 'employedHeadcount', '在职职工人数', input.employedHeadcount, 0, 1_000_000);
      integer(problems, 'socialInsuranceMonths', '社保缴纳月数', input.socialInsuranceMonths, 0, 600);
      const reason = text(problems, 'reason', '不予兑现的原因', input.reason, { max: 500, required: input.conclusion === 'NOT_QUALIFIED' });
      const policyExplanation = text(problems, 'policyExplanation', '政策解释', input.policyExplanation, { max: 1000, required: input.conclusion === 'NOT_QUALIFIED' });
      const note = text(problems, 'note', '备注', input.note, { max: 500 });
      const payeeBank = text(problems, 'payeeBank', '开户银行', input.payeeBank, { max: 60, required: !!input.payeeAccount });
      const payeeAccount = input.payeeAccount ?? null;
      if (payeeAccount !== null && !/^\d{8,32}$/.test(payeeAccount)) problems.push({ field: 'payeeAccount', message: '收款账号应为 8–32 位数字' });
      if (input.conclusion === 'QUALIFIED') {
        if (input.amountFen === undefined || input.amountFen === null) problems.push({ field: 'amountFen', message: '符合条件时须填写核定金额' });
        else if (input.amountFen <= 0) problems.push({ field: 'amountFen', message: '核定金额应大于 0' });
        if (reason || policyExplanation) problems.push({ field: 'reason', message: '符合条件时不填写不予兑现的原因和政策解释' });
        // The platform pays the account the deciding department names (recordDepartmentDecision).
        if (payeeAccount === null) problems.push({ field: 'payeeAccount', message: '符合条件时须填写经核实的收款账号' });
      } else if (input.amountFen !== undefined && input.amountFen !== null) {
        problems.push({ field: 'amountFen', message: '不符合条件时不填写核定金额' });
      }
      if (problems.length) throw invalidInput(problems);

      const found = ctx.store.caseById(input.applicationId);
      // Another department's case is answered as if it did not exist.
      if (!found || found.department !== identity.department) throw new HrssError('NOT_FOUND', `本部门收件箱中没有申请 ${input.applicationId}`);
      const existing = found.review;
      if (existing?.decision_recorded_at) {
        throw new HrssError('WRONG_STATE', `本局的决定已于 ${existing.decision_recorded_at} 送达平台，不能再修改审核结果`);
      }
      const content = {
        application_id: found.application_id,
        reviewer: identity.subject,
        employed_headcount: input.employedHeadcount,
        social_insurance_months: input.socialInsuranceMonths,
        conclusion: input.conclusion,
        amount_fen: input.conclusion === 'QUALIFIED' ? input.amountFen! : null,
        payee_account: payeeAccount,
        payee_bank: payeeBank,
        reason,
        policy_explanation: policyExplanation,
        note,
      };
      const same = existing && (Object.keys(content) as (keyof typeof content)[]).every((k) => existing[k] === content[k]);
      const row: ReviewRow = same
        ? existing
        : // A decision of different content is a new decision: a new idempotency key for the platform.
          { ...content, reviewed_at: new Date().toISOString(), decision_id: `hrss-${randomUUID()}`, decision_recorded_at: null, decision_error: null };
      if (!same && !ctx.store.saveReview(row)) throw new HrssError('WRONG_STATE', '本局的决定刚刚送达平台，不能再修改审核结果');
      return reviewOut(row);
    },
  },
  Application: {
    /**
     * Every representation of one `_entities` call reaches this in the same tick; the loader turns
     * them into one SELECT. A key that is not an application id is refused; an id this office has
     * no case for — or one the caller may not see — is null, the same answer.
     */
    async __resolveReference(reference: { id?: unknown }, ctx: Context): Promise<ApplicationRef | null> {
      if (typeof reference.id !== 'string' || !APPLICATION_ID.test(reference.id)) {
        throw invalidInput([{ field: 'id', message: '实体引用的 id 无效：应为平台的申请编号' }]);
      }
      assertMayReadReviews(ctx);
      const found = await ctx.cases.load(reference.id);
      return found && mayReadCase(ctx.identity, found, ctx.departments) ? { id: found.application_id, case: found } : null;
    },
    employmentReview: (application: ApplicationRef) => review(application.case),
  },
  EmploymentCase: {
    application: (c: CaseWithReview): ApplicationRef => ({ id: c.application_id, case: c }),
    department: (c: CaseWithReview) => c.department,
    receiptNumber: (c: CaseWithReview) => c.receipt_number,
    creditCode: (c: CaseWithReview) => c.credit_code,
    enterpriseName: (c: CaseWithReview) => c.enterprise_name,
    policyTitle: (c: CaseWithReview) => c.policy_title,
    deadline: (c: CaseWithReview) => c.deadline,
    receivedAt: (c: CaseWithReview) => c.received_at,
    review: (c: CaseWithReview) => review(c),
  },
};
