import { forbidden, invalidInput, type AppError } from '../../platform/errors';
import type { Identity } from '../../platform/identity';

/**
 * 免申即享: what must hold before a department's confirmation of a kept screening turns its white
 * list into cases, and what becomes of each entry — pure, apart from the database and the graph.
 */

/** The kept screening as the graph answers `policyScreening(id)` (the head; entries are paged apart). */
export interface ScreeningHead {
  id: string;
  digest: string;
  version: number;
  regionCode: string;
  evaluatedOn: string;
  eligibleCount: number;
  policy: {
    id: string;
    title: string;
    mode: string;
    department: string;
    status: string;
    current: { number: number; title: string; reviewDays: number; windowStart: string | null };
  };
}

export const SCREENING_HEAD_QUERY = `query WhiteListScreening($id: ID!) {
  policyScreening(id: $id) {
    id digest version regionCode evaluatedOn eligibleCount
    policy { id title mode department status current { number title reviewDays windowStart } }
  }
}`;

/** One page of the kept screening's white list (credit-code order). */
export const SCREENING_ENTRIES_QUERY = `query WhiteListEntries($id: ID!, $first: Int!, $after: String) {
  policyScreening(id: $id) {
    entries(outcome: ELIGIBLE, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { creditCode amountFen amountText }
    }
  }
}`;

/** The payee for each enterprise of a page, from the register (unmasked only for the payer: docs/applications.md). */
export const PAYEES_QUERY = `query WhiteListPayees($codes: [CreditCode!]!) {
  enterprisesByCreditCodes(creditCodes: $codes) {
    creditCode name regionCode
    bankAccount { bankName accountNumber masked }
  }
}`;

const POLICY_STATUS_NAMES: Record<string, string> = { DRAFT: '草稿', CONSULTATION: '会签中', PUBLISHED: '已发布', SUSPENDED: '已暂停', EXPIRED: '已到期', REPEALED: '已废止' };
const MODE_NAMES: Record<string, string> = { NO_APPLICATION: '免申即享', INSTANT: '即申即享', COMMITMENT: '承诺兑现' };

/**
 * Why this caller may not confirm this screening with this digest, or undefined. In order: the
 * department (FORBIDDEN, before anything about the list is said), the policy's mode, its status,
 * its served version, the digest (BAD_USER_INPUT naming the field).
 */
export function confirmationRefusal(head: ScreeningHead, digest: string, identity: Identity): AppError | undefined {
  const policy = head.policy;
  if (identity.department !== policy.department) return notTheDepartment(policy.id, policy.department);
  if (policy.mode !== 'NO_APPLICATION') {
    return invalidInput([{ field: 'screeningId', message: `政策 ${policy.id} 为${MODE_NAMES[policy.mode] ?? policy.mode}，不是免申即享：企业须自行申请，不能确认白名单` }]);
  }
  if (policy.status !== 'PUBLISHED') {
    return invalidInput([{ field: 'screeningId', message: `政策 ${policy.id} 当前状态为${POLICY_STATUS_NAMES[policy.status] ?? policy.status}，只有已发布的政策可以确认白名单` }]);
  }
  if (policy.current.number !== head.version) {
    return invalidInput([{ field: 'screeningId', message: `该筛查依据政策第 ${head.version} 版，现行为第 ${policy.current.number} 版：请重新筛查，按新的筛查编号与摘要确认` }]);
  }
  if (digest !== head.digest) return digestMismatch();
  return undefined;
}

export const notTheDepartment = (policyId: string, department: string) => forbidden(`无权确认：政策 ${policyId} 的主管部门为 ${department}，白名单只能由该部门确认`);
export const digestMismatch = () =>
  invalidInput([{ field: 'digest', message: '白名单摘要与留存的筛查不一致：名单已变化或摘要有误，请重新筛查，按新的筛查编号与摘要确认' }]);

export interface WhiteListEntry {
  creditCode: string;
  amountFen: number | null;
  amountText: string;
}

export interface Payee {
  creditCode: string;
  name: string;
  regionCode: string;
  bankAccount: { bankName: string; accountNumber: string; masked: boolean };
}

export const SkipReason = {
  NO_AMOUNT: '金额无法计算（依赖的数据缺失），请核实后另行处理',
  NOT_REGISTERED: '企业不在登记库中',
  NO_ACCOUNT: '登记库中没有可用的收款账户',
} as const;

export type EntryFate =
  | { kind: 'create'; entry: WhiteListEntry & { amountFen: number }; payee: Payee }
  | { kind: 'already'; entry: WhiteListEntry }
  | { kind: 'skip'; entry: WhiteListEntry; reason: string };

/**
 * What becomes of each entry of a page: a case (an amount, an enterprise in the register with an
 * account), nothing because it already has a case for this policy and period (any mode), or
 * nothing with a reason the department reads on the confirmation.
 */
export function entryFates(entries: readonly WhiteListEntry[], existing: ReadonlySet<string>, payees: ReadonlyMap<string, Payee>): EntryFate[] {
  return entries.map((entry): EntryFate => {
    if (existing.has(entry.creditCode)) return { kind: 'already', entry };
    if (typeof entry.amountFen !== 'number' || !Number.isSafeInteger(entry.amountFen) || entry.amountFen <= 0) return { kind: 'skip', entry, reason: SkipReason.NO_AMOUNT };
    const payee = payees.get(entry.creditCode);
    if (!payee) return { kind: 'skip', entry, reason: SkipReason.NOT_REGISTERED };
    if (!/^\d{8,32}$/.test(payee.bankAccount?.accountNumber ?? '')) return { kind: 'skip', entry, reason: SkipReason.NO_ACCOUNT };
    return { kind: 'create', entry: entry as WhiteListEntry & { amountFen: number }, payee };
  });
}

/** Credit codes grouped by their region (GB 32100 positions 3–8): the payer of each county reads its own. */
export function byCodeRegion(codes: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const code of codes) {
    const region = code.slice(2, 8);
    const list = groups.get(region);
    if (list) list.push(code);
    else groups.set(region, [code]);
  }
  return groups;
}
