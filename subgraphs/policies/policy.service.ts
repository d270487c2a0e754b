import { LockMode, type EntityManager } from '@mikro-orm/core';
import { DEPARTMENTS, departmentRegion } from '../../platform/directory';
import { AppError, ErrorCode, forbidden, notFound, type FieldProblem } from '../../platform/errors';
import type { Identity } from '../../platform/identity';
import { validateAmountRule, validateCondition, type AmountRule, type Condition } from './condition-checks';
import { isOwner, isPolicyOwnerDepartment, mayActOn, SIGN_OFF_DEPARTMENTS, SIGN_OFF_NAMES, signerDepartment, transition, type SignOffDepartment } from './lifecycle';
import { Policy, PolicySignOff, PolicyVersion, type PolicyMode, type PolicyStatus } from './policy.entity';
import type { CreatePolicyInput, PolicyGuideInput, PolicySignOffView, PolicyVersionView, PolicyView } from './policy.types';
import { reindex, termsOf } from './search';

export const PUBLIC_STATUSES: PolicyStatus[] = ['PUBLISHED', 'SUSPENDED', 'EXPIRED', 'REPEALED'];
const departmentName = (code: string) => DEPARTMENTS.find((d) => d.code === code)?.shortName ?? code;

/** A step the lifecycle does not allow from here: a stable code and the state it is in. */
export const invalidTransition = (message: string, state: string, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, { reason: 'INVALID_TRANSITION', state, ...details });

export const versionId = (policyId: string, n: number) => `${policyId}@${n}`;

/** Conditions and amount rule checked with the condition language's validators: every problem at once, with its path. */
export function guideProblems(guide: PolicyGuideInput, mode: PolicyMode, prefix = 'guide'): FieldProblem[] {
  const problems: FieldProblem[] = [
    ...validateCondition(guide.conditions, `${prefix}.conditions`),
    ...validateAmountRule(guide.amountRule, `${prefix}.amountRule`),
  ].map((p) => ({ field: p.path, message: p.message }));
  if (mode === 'INSTANT' && guide.reviewDays !== undefined && guide.reviewDays !== null && guide.reviewDays !== 5) {
    problems.push({ field: `${prefix}.reviewDays`, message: '即申即享政策的审核时限为 5 个工作日' });
  }
  const required = new Set(guide.materials.filter((m) => m.required && !m.heldByGovernment).map((m) => m.name));
  for (const name of guide.deferrableMaterials ?? []) {
    if (!required.has(name)) problems.push({ field: `${prefix}.deferrableMaterials`, message: `容缺材料“${name}”须是本指南列出的、由企业提交的必备材料` });
  }
  if (guide.windowStart && guide.windowEnd && guide.windowEnd < guide.windowStart) problems.push({ field: `${prefix}.windowEnd`, message: '申报截止日期不能早于开始日期' });
  const json = JSON.stringify([guide.conditions, guide.amountRule]) ?? '';
  if (json.length > 50_000) problems.push({ field: `${prefix}.conditions`, message: '条件与金额规则过大（超过 50,000 字符）' });
  return problems;
}

export function applyGuide(version: PolicyVersion, guide: PolicyGuideInput, mode: PolicyMode): void {
  Object.assign(version, {
    title: guide.title.trim(),
    legalBasisTitle: guide.legalBasis.title.trim(),
    legalBasisNumber: guide.legalBasis.documentNumber.trim(),
    beneficiaries: guide.beneficiaries,
    conditionsText: guide.conditionsText,
    conditions: guide.conditions as Condition,
    amountRule: guide.amountRule as AmountRule,
    amountText: guide.amountText,
    materials: guide.materials.map((m) => ({ name: m.name, required: m.required, heldByGovernment: m.heldByGovernment ?? false })),
    deferrableMaterials: [...new Set(guide.deferrableMaterials ?? [])],
    processSteps: [...guide.processSteps],
    reviewDays: mode === 'INSTANT' ? 5 : guide.reviewDays ?? 15,
    paymentDays: guide.paymentDays ?? 1,
    windowStart: guide.windowStart ?? null,
    windowEnd: guide.windowEnd ?? null,
    contact: guide.contact,
    faq: guide.faq.map((f) => ({ question: f.question, answer: f.answer })),
    industries: [...new Set(guide.industries)],
    scales: [...new Set(guide.scales)],
    tags: [...new Set(guide.tags)],
  });
}

export function createProblems(input: CreatePolicyInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isPolicyOwnerDepartment(input.department)) problems.push({ field: 'department', message: `“${input.department}”不是平台登记的政策主管部门` });
  if (input.level === 'CITY') {
    if (input.cityShareBp == null || input.countyShareBp == null || input.cityShareBp + input.countyShareBp !== 10000) {
      problems.push({ field: 'cityShareBp', message: '市级政策须给出市、县分担比例（基点），两者之和为 10000' });
    }
  } else if (input.cityShareBp != null || input.countyShareBp != null) {
    problems.push({ field: 'cityShareBp', message: '县级政策不设市县分担比例' });
  }
  problems.push(...guideProblems(input.guide, input.mode));
  return problems;
}

/** The facets of a version onto the policy row (lists filter on them). */
export function setFacets(policy: Policy, v: PolicyVersion): void {
  policy.industryList = v.industries.length ? `,${v.industries.join(',')},` : '';
  policy.scaleList = v.scales.length ? `,${v.scales.join(',')},` : '';
  policy.tagList = v.tags.length ? `,${v.tags.join(',')},` : '';
}

/** Index and facets follow the served version, or the working one while nothing is published. */
export async function refreshIndex(em: EntityManager, policy: Policy, v: PolicyVersion): Promise<void> {
  setFacets(policy, v);
  await reindex(em, policy.id, termsOf(v, [departmentName(policy.departmentCode)]));
}

/** `lock`: read `FOR UPDATE` inside a transaction (PostgreSQL; SQLite has one writer anyway). */
export async function loadPolicy(em: EntityManager, id: string, lock = false): Promise<Policy> {
  const policy = await em.findOne(Policy, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!policy) throw notFound('政策', id);
  return policy;
}

export function assertOwner(identity: Identity, policy: Pick<Policy, 'departmentCode' | 'regionCode'> & { id?: string }): void {
  if (!isOwner(identity, policy)) throw forbidden(`无权修改政策${policy.id ? ` ${policy.id}` : ''}：仅主管部门（${departmentName(policy.departmentCode)}）工作人员或本地区管理员可以操作`);
}

/** Readers of a policy: the public for anything once published; drafts only for those who may act on them. */
export function assertCanSee(identity: Identity, policy: Policy): void {
  if (!PUBLIC_STATUSES.includes(policy.status) && !mayActOn(identity, policy)) throw notFound('政策', policy.id);
}

export async function workingVersion(em: EntityManager, policy: Policy, action: string): Promise<PolicyVersion> {
  const t = transition(action);
  const v = policy.workingVersion ? await em.findOne(PolicyVersion, { id: versionId(policy.id, policy.workingVersion) }) : null;
  if (!v) throw invalidTransition(`政策 ${policy.id} 没有正在修改或会签中的版本，不能${t.label}`, policy.status);
  if (!t.from.includes(v.state)) throw invalidTransition(`政策 ${policy.id} 第 ${v.number} 版当前为“${v.state}”，不能${t.label}`, v.state);
  return v;
}

export function policyTransition(policy: Policy, action: string): void {
  const t = transition(action);
  if (!t.from.includes(policy.status)) throw invalidTransition(`政策 ${policy.id} 当前状态为“${policy.status}”，不能${t.label}`, policy.status);
  policy.status = t.to as PolicyStatus;
  policy.updatedAt = new Date();
}

/**
 * A step on the served policy (suspend, resume, expire, repeal) by `identity`, inside the caller's
 * transaction: the mutations and the expiry job (expiry.ts) take it the same way. The row is
 * locked, so concurrent steps queue and each sees the other's result. `proceed` judges the locked
 * row: false leaves it as it is (the result is null).
 */
export async function stepPolicy(
  tx: EntityManager,
  identity: Identity,
  step: { id: string; action: string; reason?: string | null },
  proceed?: (policy: Policy) => boolean | Promise<boolean>,
): Promise<Policy | null> {
  const policy = await loadPolicy(tx, step.id, true);
  assertOwner(identity, policy);
  if (proceed && !(await proceed(policy))) return null;
  policyTransition(policy, step.action);
  policy.statusReason = step.reason?.trim() || null;
  await tx.flush();
  return policy;
}

export function signer(identity: Identity, policy: Policy): SignOffDepartment {
  const d = signerDepartment(identity, policy.regionCode);
  if (!d) throw forbidden(`无权会签政策 ${policy.id}：会签由${policy.regionCode}的县发改委、县财政局、县行政审批局办理`);
  return d;
}

export function allApproved(signOffs: PolicySignOff[], v: PolicyVersion): boolean {
  return SIGN_OFF_DEPARTMENTS.every((d) => signOffs.some((s) => s.round === v.round && s.department === d && s.decision === 'APPROVED'));
}

// ---- views

const signOffView = (s: PolicySignOff): PolicySignOffView => ({
  department: s.department,
  departmentName: SIGN_OFF_NAMES[s.department as SignOffDepartment] ?? s.department,
  round: s.round,
  decision: s.decision,
  comments: s.comments ?? null,
  signedAt: s.signedAt,
});

export function versionView(v: PolicyVersion, signOffs: PolicySignOff[], showSignOffs: boolean): PolicyVersionView {
  return {
    id: v.id,
    number: v.number,
    state: v.state,
    title: v.title,
    legalBasis: { title: v.legalBasisTitle, documentNumber: v.legalBasisNumber },
    beneficiaries: v.beneficiaries,
    conditionsText: v.conditionsText,
    conditions: v.conditions,
    amountRule: v.amountRule,
    amountText: v.amountText,
    materials: v.materials,
    deferrableMaterials: v.deferrableMaterials ?? [],
    processSteps: v.processSteps,
    reviewDays: v.reviewDays,
    paymentDays: v.paymentDays,
    windowStart: v.windowStart ?? null,
    windowEnd: v.windowEnd ?? null,
    contact: v.contact,
    faq: v.faq,
    industries: v.industries,
    scales: v.scales,
    tags: v.tags,
    submittedAt: v.submittedAt ?? null,
    publishedAt: v.publishedAt ?? null,
    signOffs: showSignOffs ? signOffs.filter((s) => s.versionId === v.id).sort((a, b) => a.round - b.round || a.department.localeCompare(b.department)).map(signOffView) : [],
  };
}

/** The whole view of some policies: versions and sign-offs in two statements. */
export async function policyViews(em: EntityManager, identity: Identity, policies: Policy[], relevance?: Map<string, number>): Promise<PolicyView[]> {
  if (!policies.length) return [];
  const ids = policies.map((p) => p.id);
  const versions = await em.find(PolicyVersion, { policyId: { $in: ids } }, { orderBy: { policyId: 'asc', number: 'asc' } });
  const anyActor = policies.some((p) => mayActOn(identity, p));
  const signOffs = anyActor ? await em.find(PolicySignOff, { versionId: { $in: versions.map((v) => v.id) } }) : [];
  return policies.map((p) => {
    const actor = mayActOn(identity, p);
    const mine = versions.filter((v) => v.policyId === p.id);
    const served = mine.find((v) => v.number === (p.publishedVersion ?? p.workingVersion))!;
    const pending = p.publishedVersion && p.workingVersion ? mine.find((v) => v.number === p.workingVersion) ?? null : null;
    const visible = actor ? mine : mine.filter((v) => v.state === 'PUBLISHED' || v.state === 'SUPERSEDED');
    return {
      id: p.id,
      department: p.departmentCode,
      departmentName: departmentName(p.departmentCode),
      region: p.regionCode,
      level: p.level,
      cityShareBp: p.cityShareBp ?? null,
      countyShareBp: p.countyShareBp ?? null,
      mode: p.mode,
      status: p.status,
      statusReason: p.statusReason ?? null,
      title: served.title,
      current: versionView(served, signOffs, actor),
      pendingVersion: actor && pending ? versionView(pending, signOffs, true) : null,
      versions: visible.map((v) => versionView(v, signOffs, actor)),
      relevance: relevance?.get(p.id) ?? null,
    };
  });
}

export const regionOfDepartment = (code: string) => departmentRegion(code);
