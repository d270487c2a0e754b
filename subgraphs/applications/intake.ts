import { randomUUID } from 'node:crypto';
import { raw, type EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { DEPARTMENTS, departmentRegion, isKnownRegion } from '../../platform/directory';
import { AppError, ErrorCode, forbidden, invalidInput, notFound, type FieldProblem } from '../../platform/errors';
import type { Identity } from '../../platform/identity';
import { toChinaDate } from '../kit/calendar';
import { GraphRequestError } from '../kit/graph-client';
import { regionOfCreditCode, requireWriter } from '../kit/scope';
import { nowOf } from '../kit/services';
import type { Context } from '../kit/subgraph';
import { Application, ApplicationMaterial, ReceiptCounter, type GuideMaterial } from './application.entity';
import type { MaterialInput, SubmitApplicationInput } from './application.inputs';
import { lookupUploads } from './materials/lookup';
import { canReadApplication } from './scope';
import { fire, type Channel, type Mode } from './workflow';

/** The intake departments (一窗受理) and the channel each one's window is. */
const WINDOW_CHANNEL: Record<string, Channel> = { APPROVAL: 'HALL_WINDOW', EDZ: 'EDZ_WINDOW' };
const INTAKE = new Set(DEPARTMENTS.filter((d) => d.functions.includes('INTAKE')).map((d) => d.code));

/** The policy and the enterprise as intake reads them through the graph (one request). */
export const INTAKE_QUERY = /* GraphQL */ `
  query ApplicationIntake($policyId: String!, $creditCode: CreditCode!) {
    policy(id: $policyId) {
      id status mode department region
      current { number state title windowStart windowEnd reviewDays amountRule deferrableMaterials materials { name required heldByGovernment } }
    }
    enterprise(creditCode: $creditCode) { creditCode name regionCode }
  }
`;

export interface IntakePolicy {
  id: string;
  status: string;
  mode: Mode;
  department: string;
  region: string;
  current: {
    number: number;
    state: string;
    title: string;
    windowStart: string | null;
    windowEnd: string | null;
    reviewDays: number;
    amountRule: { kind: string; amountFen?: number; capFen?: number; tiers?: { amountFen: number }[] } | null;
    deferrableMaterials: string[];
    materials: GuideMaterial[];
  };
}
interface IntakeEnterprise {
  creditCode: string;
  name: string;
  regionCode: string;
}

/** Who is submitting, and through which channel: from the identity alone, never from the input. */
export interface Intake {
  channel: Channel;
  intakeDepartment: string | null;
}

/**
 * Authorization before anything is read: an enterprise for itself only (ONLINE); a window clerk
 * of an intake department (`<county>-APPROVAL` → HALL_WINDOW, `360732-EDZ` → EDZ_WINDOW) for an
 * enterprise registered in the window's region (positions 3–8 of the credit code).
 */
export function intakeOf(identity: Identity, creditCode: string): Intake {
  requireWriter(identity, 'ENTERPRISE', 'WINDOW_CLERK');
  if (identity.role === 'ENTERPRISE') {
    if (identity.creditCode !== creditCode) throw forbidden('企业用户只能为本企业申请');
    return { channel: 'ONLINE', intakeDepartment: null };
  }
  const department = identity.department;
  if (!department || !INTAKE.has(department)) throw forbidden('窗口人员须属于受理部门（县行政审批局或经开区管委会）才能代为申报');
  const region = departmentRegion(department)!;
  if (regionOfCreditCode(creditCode) !== region) throw forbidden(`窗口只能为本地区（${region}）登记的企业代为申报`);
  return { channel: WINDOW_CHANNEL[department.slice(department.indexOf('-') + 1)], intakeDepartment: department };
}

const refused = (reason: string, message: string, field = 'policyId') => new AppError(ErrorCode.BAD_USER_INPUT, message, { reason, problems: [{ field, message }] });

/** The policy's cap for one enterprise, when the amount rule has one (approve checks the amount against it). */
export function amountCap(rule: IntakePolicy['current']['amountRule']): number | null {
  if (!rule) return null;
  if (rule.kind === 'FIXED' && typeof rule.amountFen === 'number') return rule.amountFen;
  if (rule.kind === 'TIERS' && rule.tiers?.length) return Math.max(...rule.tiers.map((t) => t.amountFen));
  return typeof rule.capFen === 'number' ? rule.capFen : null;
}

/** The policy period an application counts against: the version's window, else the calendar year. */
export const periodOf = (policy: IntakePolicy, today: string) => policy.current.windowStart ?? today.slice(0, 4);

/** Reads the policy and the enterprise through the graph as a service (kit/graph-client.ts). */
export async function readIntake(ctx: Context<unknown>, policyId: string, creditCode: string): Promise<{ policy: IntakePolicy | null; enterprise: IntakeEnterprise | null }> {
  const graph = ctx.services.graph;
  if (!graph) throw new AppError(ErrorCode.SUBGRAPH_UNAVAILABLE, '受理服务暂时无法读取政策和企业信息（未配置图服务），请稍后重试', { serviceName: 'applications' });
  const region = regionOfCreditCode(creditCode);
  try {
    return await graph.request(INTAKE_QUERY, { policyId, creditCode }, { purpose: `受理申报 ${policyId}`, region });
  } catch (error) {
    ctx.log.warn('intake: policy or enterprise not read', { error: error instanceof GraphRequestError ? error.message : String(error), policyId });
    throw new AppError(ErrorCode.SUBGRAPH_UNAVAILABLE, '暂时无法读取政策或企业信息，请稍后重试', { serviceName: 'applications' });
  }
}

/** Refusals of the policy itself: unpublished, no application needed, outside its window. */
export function policyProblem(policy: IntakePolicy | null, policyId: string, today: string): AppError | undefined {
  if (!policy) return notFound('政策', policyId);
  if (policy.status !== 'PUBLISHED' || policy.current.state !== 'PUBLISHED') {
    return refused('POLICY_NOT_PUBLISHED', `政策 ${policyId} 当前不在施行（状态：${policy.status}），不能申报`);
  }
  if (policy.mode === 'NO_APPLICATION') {
    return refused('NO_APPLICATION', `政策 ${policyId} 为免申即享：由主管部门确认名单后直接兑现，企业无需申报`);
  }
  const { windowStart, windowEnd } = policy.current;
  if ((windowStart && today < windowStart) || (windowEnd && today > windowEnd)) {
    return refused('OUTSIDE_WINDOW', `今天（${today}）不在政策 ${policyId} 的申报期内（${windowStart ?? '不限'} 至 ${windowEnd ?? '不限'}）`);
  }
  return undefined;
}

/**
 * The materials as stored: each named in the guide, once; uploads that exist and may be attached;
 * government-held ones referenced. Every material the guide says the government holds is
 * referenced even when not listed. Problems are collected, not thrown one by one.
 */
export async function resolveMaterials(
  em: EntityManager,
  guide: GuideMaterial[],
  given: MaterialInput[],
  owner: { creditCode: string; identity: Identity },
  problems: FieldProblem[],
): Promise<Omit<ApplicationMaterial, 'id' | 'application'>[]> {
  const byName = new Map(guide.map((m) => [m.name, m]));
  const seen = new Set<string>();
  const uploads = await lookupUploads(
    em,
    given.flatMap((m) => (m.uploadId ? [m.uploadId] : [])),
    owner,
  );
  const out: Omit<ApplicationMaterial, 'id' | 'application'>[] = [];
  given.forEach((m, i) => {
    const field = `materials.${i}`;
    const entry = byName.get(m.name);
    if (!entry) return problems.push({ field: `${field}.name`, message: `“${m.name}”不是该政策办事指南所列的材料（应为：${guide.map((g) => g.name).join('、')}）` });
    if (seen.has(m.name)) return problems.push({ field: `${field}.name`, message: `材料“${m.name}”重复提交` });
    seen.add(m.name);
    if (m.heldByGovernment) {
      if (m.uploadId) return problems.push({ field, message: `材料“${m.name}”：上传编号与“政府已有”只能二选一` });
      if (!entry.heldByGovernment) return problems.push({ field: `${field}.heldByGovernment`, message: `材料“${m.name}”不是政府已有材料，须上传` });
      return out.push({ name: m.name, uploadId: null, heldByGovernment: true, sha256: null, mediaType: null, size: null });
    }
    if (!m.uploadId) return problems.push({ field: `${field}.uploadId`, message: `材料“${m.name}”：须给出上传编号，或标明政府已有` });
    const upload = uploads.get(m.uploadId);
    if (!upload) return problems.push({ field: `${field}.uploadId`, message: `材料“${m.name}”的上传编号不存在或不属于该企业：请重新上传` });
    return out.push({ name: m.name, uploadId: upload.uploadId, heldByGovernment: false, sha256: upload.sha256, mediaType: upload.mediaType, size: upload.size });
  });
  for (const g of guide) {
    if (g.heldByGovernment && !seen.has(g.name)) out.push({ name: g.name, uploadId: null, heldByGovernment: true, sha256: null, mediaType: null, size: null });
  }
  return out;
}

/** Required materials of the pinned guide that the application does not have: what the formal check computes. */
export function missingRequired(application: Application, materials: { name: string }[]): string[] {
  const have = new Set(materials.map((m) => m.name));
  return (application.guideMaterials ?? []).filter((g) => g.required && !have.has(g.name)).map((g) => g.name);
}

/**
 * The next 受理回执编号 of a region and day, `<region>-<YYYYMMDD>-<6 digits>`: an upsert on the
 * counter in the intake's transaction (PostgreSQL holds the row until commit), so numbers never
 * repeat and a refused intake gives none back to anyone.
 */
export async function nextReceiptNumber(em: EntityManager, regionCode: string, today: string): Promise<string> {
  const key = `${regionCode}-${today.replace(/-/g, '')}`;
  const sql = em as SqlEntityManager;
  const table = sql.getMetadata().get(ReceiptCounter.name).tableName;
  await sql
    .createQueryBuilder(ReceiptCounter)
    .insert({ key, last: 1 })
    .onConflict('key')
    .merge({ last: raw(`${table}.last + 1`) })
    .execute('run');
  const row = await sql.createQueryBuilder(ReceiptCounter).select('last').where({ key }).execute('get');
  return `${key}-${String(row.last).padStart(6, '0')}`;
}

/**
 * 提交申请: every check before anything is written (a refusal stores nothing), then one
 * transaction: receipt number, application, materials, the `submit` step.
 */
export async function submitApplication(ctx: Context<unknown>, input: SubmitApplicationInput): Promise<Application> {
  const { identity } = ctx;
  const intake = intakeOf(identity, input.creditCode);
  if (!isKnownRegion(regionOfCreditCode(input.creditCode))) throw notFound('企业', input.creditCode);
  const at = nowOf(ctx.services);
  const today = toChinaDate(at);
  const { policy, enterprise } = await readIntake(ctx, input.policyId, input.creditCode);
  const policyRefusal = policyProblem(policy, input.policyId, today);
  if (policyRefusal) throw policyRefusal;
  if (!enterprise) throw notFound('企业', input.creditCode);
  const p = policy!;

  const problems: FieldProblem[] = [];
  const materials = await resolveMaterials(ctx.em, p.current.materials, input.materials, { creditCode: enterprise.creditCode, identity }, problems);
  if (problems.length) throw invalidInput(problems);

  const period = periodOf(p, today);
  const existing = await ctx.em.findOne(Application, { policyId: p.id, creditCode: enterprise.creditCode, period });
  if (existing) {
    const shown = canReadApplication(identity, existing) ? `（受理回执编号 ${existing.receiptNumber}）` : '';
    throw new AppError(ErrorCode.ALREADY_EXISTS, `该企业已在本申报期（${period}）申请过政策 ${p.id}${shown}：同一政策同一申报期只能申请一次`, {
      ...(shown ? { receiptNumber: existing.receiptNumber } : {}),
    });
  }

  const commitment = input.commitment;
  return ctx.em.transactional(async (em) => {
    const application = new Application();
    Object.assign(application, {
      id: randomUUID(),
      receiptNumber: await nextReceiptNumber(em, enterprise.regionCode, today),
      policyId: p.id,
      policyVersion: p.current.number,
      policyTitle: p.current.title,
      mode: p.mode,
      department: p.department,
      regionCode: enterprise.regionCode,
      creditCode: enterprise.creditCode,
      enterpriseName: enterprise.name,
      channel: intake.channel,
      intakeDepartment: intake.intakeDepartment,
      period,
      data: input.data ?? {},
      guideMaterials: p.current.materials,
      deferrableMaterials: p.current.deferrableMaterials ?? [],
      amountCapFen: amountCap(p.current.amountRule),
      reviewDays: p.current.reviewDays,
      submittedAt: at,
    } satisfies Partial<Application>);
    fire(em, application, 'submit', {
      actor: identity,
      at,
      note: input.note ?? null,
      requestId: ctx.requestId,
      given: { commitmentSigned: commitment?.signed === true && commitment.text.trim().length > 0 },
      details: { channel: intake.channel, materials: materials.map((m) => m.name) },
      apply: (a) => {
        if (a.mode === 'COMMITMENT') {
          a.commitmentSignedAt = at;
          a.commitmentText = commitment!.text.trim();
        }
      },
    });
    for (const m of materials) em.persist(Object.assign(new ApplicationMaterial(), { id: randomUUID(), application, ...m }));
    return application;
  });
}
