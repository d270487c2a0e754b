import type { EntityManager } from '@mikro-orm/core';
import type { SeedOptions } from '../../kit/subgraph';
import { Policy, PolicySignOff, PolicyVersion } from '../policy.entity';
import { refreshIndex, versionId } from '../policy.service';
import { DEMO_CATALOG } from './catalog';

const REGION: Record<string, string> = { XG: '360732', YD: '360731' };
const PHONE: Record<string, string> = { '360732': '0797-5322', '360731': '0797-6232' };
const SEEDED_AT = new Date('2026-01-05T01:00:00Z');

/**
 * The demo catalog, idempotently: a policy already there (by code) is left alone. Published ones
 * carry their three approving sign-offs; XG-2026-032 waits for 县行政审批局 only.
 */
export async function seedPolicies(em: EntityManager, options: SeedOptions): Promise<void> {
  if (!options.demo) return;
  const existing = new Set((await em.find(Policy, { id: { $in: DEMO_CATALOG.map((p) => p.id) } }, { fields: ['id'] })).map((p) => p.id));
  for (const d of DEMO_CATALOG) {
    if (existing.has(d.id)) continue;
    const regionCode = REGION[d.id.slice(0, 2)];
    const published = !d.status;
    const consultation = d.status === 'CONSULTATION' || d.status === 'CONSULTATION_TWO_APPROVED';
    const policy = em.create(Policy, {
      id: d.id,
      departmentCode: `${regionCode}-${d.department}`,
      regionCode,
      level: d.level ?? 'COUNTY',
      cityShareBp: d.level === 'CITY' ? 5000 : null,
      countyShareBp: d.level === 'CITY' ? 5000 : null,
      mode: d.mode,
      status: published ? 'PUBLISHED' : consultation ? 'CONSULTATION' : 'DRAFT',
      publishedVersion: published ? 1 : null,
      workingVersion: published ? null : 1,
      industryList: '',
      scaleList: '',
      tagList: '',
      createdAt: SEEDED_AT,
      updatedAt: SEEDED_AT,
    });
    const v = em.create(PolicyVersion, {
      id: versionId(d.id, 1),
      policyId: d.id,
      number: 1,
      state: published ? 'PUBLISHED' : consultation ? 'CONSULTATION' : 'DRAFT',
      round: published || consultation ? 1 : 0,
      title: d.title,
      legalBasisTitle: d.basis[0],
      legalBasisNumber: d.basis[1],
      beneficiaries: d.beneficiaries,
      conditionsText: d.conditionsText,
      conditions: d.conditions,
      amountRule: d.amountRule,
      amountText: d.amountText,
      materials: [
        { name: '营业执照', required: true, heldByGovernment: true },
        { name: '纳税证明', required: true, heldByGovernment: true },
        ...(d.mode === 'NO_APPLICATION' ? [] : [{ name: `${d.title.replace(/（.*）/, '')}申报表`, required: true, heldByGovernment: false }]),
        ...(d.mode === 'COMMITMENT' ? [{ name: '信用承诺书', required: true, heldByGovernment: false }] : []),
        ...(d.deferrable ? [{ name: d.deferrable, required: true, heldByGovernment: false }] : []),
      ],
      deferrableMaterials: d.deferrable ? [d.deferrable] : [],
      processSteps:
        d.mode === 'NO_APPLICATION'
          ? ['系统比对数据生成名单', '主管部门确认', '公示 5 个工作日', '财政直达拨付']
          : d.mode === 'INSTANT'
            ? ['企业在线申报', '主管部门审核（5 个工作日）', '县行政审批局兑现', '资金拨付']
            : ['企业签署信用承诺并申报', '先行兑现', '事后核查', '资金拨付'],
      reviewDays: d.mode === 'INSTANT' ? 5 : 15,
      paymentDays: 1,
      windowStart: '2026-01-01',
      windowEnd: '2026-12-31',
      contact: `${d.department === 'EDZ' ? '兴国经济开发区管委会' : '主管部门'}，电话 ${PHONE[regionCode]}${String(d.id.slice(-3))}`,
      faq: [{ question: '是否需要提交纸质材料？', answer: '不需要。政府部门已掌握的材料通过共享获取，企业无需重复提交。' }],
      industries: d.industries ?? [],
      scales: d.scales ?? [],
      tags: d.tags ?? [],
      createdBy: 'demo',
      createdAt: SEEDED_AT,
      submittedAt: published || consultation ? SEEDED_AT : null,
      publishedAt: published ? SEEDED_AT : null,
    });
    const approvers = published ? ['NDRC', 'FINANCE', 'APPROVAL'] : d.status === 'CONSULTATION_TWO_APPROVED' ? ['NDRC', 'FINANCE'] : [];
    for (const department of approvers) {
      em.create(PolicySignOff, { id: `${v.id}#1:${department}`, versionId: v.id, round: 1, department, decision: 'APPROVED', comments: null, signedBy: 'demo', signedAt: SEEDED_AT });
    }
    await refreshIndex(em, policy, v);
  }
  await em.flush();
}
