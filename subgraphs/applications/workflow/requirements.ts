import type { Requirement } from './table';

/**
 * What a caller hands `fire` for a transition's requirements. Each transition's `requires` (table.ts)
 * names the entries that must hold; fire checks them all and refuses with every problem at once.
 */
export interface Given {
  /** COMMITMENT: the enterprise signed the credit commitment (信用承诺) with this submission. */
  commitmentSigned?: boolean;
  /** Formal check: the complete list of what is missing (computed + the clerk's own items). */
  missing?: string[];
  /** Formal check: required materials of the pinned guide not provided (computed). */
  missingRequired?: string[];
  /** 容缺受理: the materials accepted as missing … */
  tolerated?: string[];
  /** … and those the pinned policy version allows to be deferred (empty: no 容缺 at all). */
  tolerable?: string[];
  amountFen?: number | null;
  /** The policy's computed cap for this enterprise, when it has one. */
  amountCapFen?: number | null;
  payeeAccount?: string | null;
  reason?: string | null;
  policyExplanation?: string | null;
  /** COMMITMENT progress: EVALUATION | EXPERT_REVIEW | SITE_SURVEY. */
  progressKind?: string | null;
  screeningId?: string | null;
  screeningDigest?: string | null;
  /** The joint audit's verdict: PASS | WARN | HOLD. */
  verdict?: string | null;
}

export const PROGRESS_KINDS = ['EVALUATION', 'EXPERT_REVIEW', 'SITE_SURVEY'] as const;
export type ProgressKind = (typeof PROGRESS_KINDS)[number];
export const PROGRESS_KIND_NAMES: Record<ProgressKind, string> = { EVALUATION: '评审', EXPERT_REVIEW: '专家评审', SITE_SURVEY: '现场核查' };

const filled = (value: string | null | undefined) => typeof value === 'string' && value.trim().length > 0;

interface RequirementRule {
  /** The field a problem is reported on (extensions.problems[].field). */
  field: string;
  /** What it means, for docs and diagrams. */
  label: string;
  check(given: Given): string | undefined;
}

/** One rule per requirement name; the table says which transition needs which. */
export const REQUIREMENTS: Record<Requirement, RequirementRule> = {
  commitment: {
    field: 'commitment',
    label: '已签署信用承诺',
    check: (g) => (g.commitmentSigned === true ? undefined : '承诺兑现类政策须在提交时签署信用承诺（commitment.signed 为 true 且附承诺内容）'),
  },
  missingList: {
    field: 'missing',
    label: '一次性告知的完整缺件清单',
    check: (g) => (g.missing && g.missing.length > 0 && g.missing.every(filled) ? undefined : '退回补正须一次性列明所缺的全部材料或事项，清单不能为空'),
  },
  materialsComplete: {
    field: 'tolerated',
    label: '必备材料齐全（或所缺的均容缺受理）',
    check: (g) => {
      const tolerated = new Set(g.tolerated ?? []);
      const open = (g.missingRequired ?? []).filter((name) => !tolerated.has(name));
      return open.length ? `尚缺必备材料：${open.join('、')}。请退回补正（一次性告知），或在政策允许时容缺受理` : undefined;
    },
  },
  tolerance: {
    field: 'tolerated',
    label: '容缺事项在政策允许范围内',
    check: (g) => {
      const tolerated = g.tolerated ?? [];
      if (!tolerated.length) return undefined;
      const allowed = new Set(g.tolerable ?? []);
      if (!allowed.size) return '该政策版本不允许容缺受理：请退回补正，或补齐材料后受理';
      const refused = tolerated.filter((name) => !allowed.has(name));
      if (refused.length) return `以下材料不在该政策允许容缺的范围内：${refused.join('、')}（允许：${[...allowed].join('、')}）`;
      const missing = new Set(g.missingRequired ?? []);
      const present = tolerated.filter((name) => !missing.has(name));
      return present.length ? `以下材料已提交，无需容缺：${present.join('、')}` : undefined;
    },
  },
  amount: {
    field: 'amountFen',
    label: '核定金额（分，大于 0，不超过政策测算上限）',
    check: (g) => {
      const amount = g.amountFen;
      if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) return '审核通过须给出核定金额（以分为单位的正整数）';
      if (typeof g.amountCapFen === 'number' && amount > g.amountCapFen) return `核定金额 ${amount} 分超过该政策对本企业测算的上限 ${g.amountCapFen} 分`;
      return undefined;
    },
  },
  payeeAccount: {
    field: 'payeeAccount',
    label: '收款账户',
    check: (g) => (filled(g.payeeAccount) ? undefined : '审核通过须给出收款账户（payeeAccount）'),
  },
  reason: {
    field: 'reason',
    label: '理由',
    check: (g) => (filled(g.reason) ? undefined : '须写明理由（reason），不能为空'),
  },
  policyExplanation: {
    field: 'policyExplanation',
    label: '政策解释',
    check: (g) => (filled(g.policyExplanation) ? undefined : '不予兑现须附政策解释（policyExplanation）：依据政策哪一条、企业可如何补救，不能为空'),
  },
  progressKind: {
    field: 'kind',
    label: '评审类别（评审 / 专家评审 / 现场核查）',
    check: (g) => (PROGRESS_KINDS.includes(g.progressKind as ProgressKind) ? undefined : `评审类别应为 ${PROGRESS_KINDS.join('、')} 之一`),
  },
  screening: {
    field: 'screeningId',
    label: '留存的白名单筛查（编号 + 摘要）',
    check: (g) => (filled(g.screeningId) && filled(g.screeningDigest) ? undefined : '免申即享须引用留存的白名单筛查（screeningId 与 digest）'),
  },
  verdictClear: {
    field: 'verdict',
    label: '联合审核结论为 PASS 或 WARN',
    check: (g) => (g.verdict === 'PASS' || g.verdict === 'WARN' ? undefined : `联合审核结论为 ${g.verdict ?? '空'}，不能转入待拨付`),
  },
  verdictHold: {
    field: 'verdict',
    label: '联合审核结论为 HOLD',
    check: (g) => (g.verdict === 'HOLD' ? undefined : `联合审核结论为 ${g.verdict ?? '空'}，不是暂缓（HOLD）`),
  },
};
