import { randomUUID } from 'node:crypto';
import { makeCreditCode } from '../../platform/credit-code';
import { PolicyMessage } from '../../subgraphs/policies/push';
import { DepartmentCase } from '../../subgraphs/departments/department-case.entity';
import { Application } from '../../subgraphs/applications/application.entity';
import { BudgetIndicator, PaymentOrder } from '../../subgraphs/funds/entities';
import { residentIdCheckChar } from '../../subgraphs/kit/resident-id';
import { describeDb } from '../support/db';
import { eventually } from '../support/events';
import { postGraphql, startTestGraph, type TestGraph } from '../support/graph';

/**
 * Who may do what, as one table: every caller (role × region, and the public) against every query,
 * field group and mutation of every subgraph, through the gateway. A new subgraph adds its rows;
 * a new role adds a caller, and the types then make every row say what that caller gets.
 *
 * The target is a 兴国县 (360732) enterprise. Outcomes:
 *   allow  — data, no error          deny   — FORBIDDEN        unauth — UNAUTHENTICATED
 *   clear  — the field group unmasked  masked — masked (`masked: true`)
 *   input  — BAD_USER_INPUT (a rule on what was sent, e.g. registering into another region)
 *   absent — NOT_FOUND (another enterprise's record named by its id: as if it did not exist)
 *   state  — WRONG_STATE (allowed to act on the case, but not in the state it is in)
 */
type Outcome = 'allow' | 'deny' | 'unauth' | 'clear' | 'masked' | 'input' | 'absent' | 'state';

const CALLERS = {
  public: null,
  enterpriseSelf: { role: 'ENTERPRISE', creditCode: 'TARGET' },
  enterpriseOther: { role: 'ENTERPRISE', creditCode: 'OTHER' },
  clerkCounty: { role: 'WINDOW_CLERK', region: '360732' },
  clerkOtherCounty: { role: 'WINDOW_CLERK', region: '360731' },
  reviewerCounty: { role: 'DEPARTMENT_REVIEWER', department: '360732-TAX', region: '360732' },
  samrSystem: { role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' },
  taxSystem: { role: 'DEPARTMENT_SYSTEM', department: '360732-TAX', region: '360732' },
  approvalCounty: { role: 'APPROVAL_BUREAU', region: '360732' },
  financeCounty: { role: 'FINANCE', region: '360732' },
  auditor: { role: 'AUDITOR' },
  adminCity: { role: 'ADMIN', region: '360700' },
  adminCounty: { role: 'ADMIN', region: '360732' },
  adminOtherCounty: { role: 'ADMIN', region: '360731' },
} as const;
type Caller = keyof typeof CALLERS;

interface Fixture {
  target: string; // 兴国县 enterprise with a tax profile
  other: string; // 于都县 enterprise
  message: string; // a policy message (精准推送) to the target
  departmentCase: string; // a case of 360732-TAX (the department of reviewerCounty and taxSystem) in the departments subgraph
  dispatched: string; // the target's application to 360732-MIIT (XG-2026-011), accepted at the county hall: its case arrived at the departments subgraph
  application: string; // the target's application (INSTANT, in review at 360732-TAX)
  receipt: string; // its receipt number
  budget: string; // a 2026 budget of XG-2026-006 (360732-TAX) in 360732, in the funds subgraph
  paymentOrder: string; // the application's payment order, already settled (sending it again changes nothing)
  registration(regionCode: string): Record<string, unknown>;
}

interface Row {
  name: string;
  query: string;
  variables?(f: Fixture): Record<string, unknown>;
  /** How data (no error) is classified; default `allow`. */
  classify?(data: any): Outcome;
  expect: Record<Caller, Outcome>;
  /** Errors at these paths do not decide the outcome (fields the gateway fetched for `@requires`, refused on their own rows). */
  ignoreErrorsAt?: string[];
}

const everyone = (outcome: Outcome): Record<Caller, Outcome> =>
  Object.fromEntries(Object.keys(CALLERS).map((c) => [c, outcome])) as Record<Caller, Outcome>;

/** Readers of the target enterprise's record: itself, officials covering 360732, the auditor. */
const readTarget = (over: Partial<Record<Caller, Outcome>> = {}): Record<Caller, Outcome> => ({
  public: 'unauth',
  enterpriseSelf: 'allow',
  enterpriseOther: 'deny',
  clerkCounty: 'allow',
  clerkOtherCounty: 'deny',
  reviewerCounty: 'allow',
  samrSystem: 'allow',
  taxSystem: 'allow',
  approvalCounty: 'allow',
  financeCounty: 'allow',
  auditor: 'allow',
  adminCity: 'allow',
  adminCounty: 'allow',
  adminOtherCounty: 'deny',
  ...over,
});

const masking = (group: string) => (data: any): Outcome => (data.enterprise[group].masked ? 'masked' : 'clear');

/** [subgraph, Enterprise field, a selection of its field group] for every joint-audit source. */
const SOURCE_FIELDS: [string, string, string][] = [
  ['tax', 'tax', 'creditRating'],
  ['credit', 'credit', 'publicCreditRating onDishonestyList'],
  ['statistics', 'statistics', 'aboveScale employees'],
  ['public-security', 'publicSecurity', 'inEffect'],
  ['ecology', 'ecology', 'inEffect'],
  ['work-safety', 'workSafety', 'inEffect'],
  ['natural-resources', 'naturalResources', 'inEffect'],
  ['housing', 'housing', 'inEffect'],
  ['pboc', 'pboc', 'verified'],
];

/** An id no record has (cases, screenings): who may act meets NOT_FOUND, nobody learns anything. */
const NOBODY = '00000000-0000-4000-8000-000000000000';

let matrixPolicySerial = 0;
const matrixGuide = {
  title: '矩阵测试政策',
  legalBasis: { title: '《兴国县促进工业高质量发展若干政策措施》', documentNumber: '兴府发〔2025〕8号' },
  beneficiaries: '本县企业',
  conditionsText: '在兴国县登记注册',
  conditions: { indicator: 'regionCode', op: 'eq', value: '360732' },
  amountRule: { kind: 'FIXED', amountFen: 100_000 },
  amountText: '1000 元',
  materials: [],
  processSteps: ['申报'],
  contact: '0797-5322000',
};

export const ROWS: Row[] = [
  // ---- enterprises subgraph: the public directory
  { name: 'regions', query: '{ regions { code } }', expect: everyone('allow') },
  { name: 'departments', query: '{ departments(regionCode: "360732") { code } }', expect: everyone('allow') },
  { name: 'department', query: '{ department(code: "360732-TAX") { code } }', expect: everyone('allow') },
  // ---- enterprises subgraph: the register
  {
    name: 'enterprise(creditCode)',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { creditCode name } }',
    variables: (f) => ({ cc: f.target }),
    expect: readTarget(),
  },
  {
    name: 'enterprises (own scope)',
    query: '{ enterprises(first: 1) { totalCount } }',
    expect: { ...everyone('allow'), public: 'unauth' },
  },
  {
    name: 'enterprises filtered to 360732',
    query: '{ enterprises(first: 1, filter: { regionCode: "360732" }) { totalCount } }',
    expect: readTarget({ enterpriseOther: 'allow' }), // an enterprise's scope is itself: an empty page, not a refusal
  },
  {
    name: 'Enterprise.legalRepresentative',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { legalRepresentative { name idNumber masked } } }',
    variables: (f) => ({ cc: f.target }),
    classify: masking('legalRepresentative'),
    expect: {
      ...readTarget(),
      enterpriseSelf: 'clear',
      clerkCounty: 'clear',
      approvalCounty: 'clear',
      reviewerCounty: 'masked',
      samrSystem: 'masked',
      taxSystem: 'masked',
      financeCounty: 'masked',
      auditor: 'masked',
      adminCity: 'masked',
      adminCounty: 'masked',
    },
  },
  {
    name: 'Enterprise.bankAccount',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { bankAccount { bankName accountNumber masked } } }',
    variables: (f) => ({ cc: f.target }),
    classify: masking('bankAccount'),
    expect: {
      ...readTarget(),
      enterpriseSelf: 'clear',
      approvalCounty: 'clear',
      clerkCounty: 'masked',
      reviewerCounty: 'masked',
      samrSystem: 'masked',
      taxSystem: 'masked',
      financeCounty: 'masked',
      auditor: 'masked',
      adminCity: 'masked',
      adminCounty: 'masked',
    },
  },
  {
    name: 'registerEnterprise into 360732 (region rule: a caller registers only inside its region)',
    query: 'mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }',
    variables: (f) => ({ input: f.registration('360732') }),
    expect: {
      ...everyone('deny'),
      public: 'unauth',
      samrSystem: 'allow',
      adminCity: 'allow',
      adminCounty: 'allow',
      adminOtherCounty: 'input',
    },
  },
  // ---- tax subgraph
  {
    name: 'Enterprise.tax (tax access per role)',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { tax { creditRating } } }',
    variables: (f) => ({ cc: f.target }),
    classify: (data) => (data.enterprise.tax ? 'allow' : 'deny'),
    // Taxpayer data is confidential: the window does not see it.
    expect: readTarget({ clerkCounty: 'deny' }),
  },
  {
    name: 'taxpayers (tax access per role)',
    query: '{ taxpayers(first: 1) { totalCount } }',
    expect: { ...everyone('allow'), public: 'unauth', clerkCounty: 'deny', clerkOtherCounty: 'deny' },
  },
  {
    name: 'TaxProfile.enterprise (join back to the register)',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { tax { enterprise { creditCode } } } }',
    variables: (f) => ({ cc: f.target }),
    classify: (data) => (data.enterprise.tax?.enterprise?.creditCode ? 'allow' : 'deny'),
    expect: readTarget({ clerkCounty: 'deny' }),
  },
  // ---- audit subgraph: the auditor reads all; a department its own events; nobody writes entries
  {
    name: 'auditEvents (auditor: all; department staff: their own)',
    query: 'query($cc: CreditCode) { auditEvents(first: 5, filter: { enterprise: $cc }) { totalCount nodes { seq } } }',
    variables: (f) => ({ cc: f.target }),
    expect: { ...everyone('deny'), public: 'unauth', auditor: 'allow', reviewerCounty: 'allow', samrSystem: 'allow', taxSystem: 'allow' },
  },
  {
    name: 'auditCheckpoints (auditor only)',
    query: '{ auditCheckpoints(first: 5) { totalCount } }',
    expect: { ...everyone('deny'), public: 'unauth', auditor: 'allow' },
  },
  {
    name: 'verifyAuditChain (auditor only)',
    query: '{ verifyAuditChain { ok } }',
    expect: { ...everyone('deny'), public: 'unauth', auditor: 'allow' },
  },
  {
    name: 'signAuditCheckpoint (administrators and the audit bureau: adds a signature, changes no entry; AUDITOR read-only)',
    query: 'mutation { signAuditCheckpoint { seq } }',
    expect: { ...everyone('deny'), public: 'unauth', adminCity: 'allow', adminCounty: 'allow', adminOtherCounty: 'allow' },
  },
  {
    name: 'Enterprise.tax.years (revenue and tax paid per year)',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { tax { latestYear revenueFen taxPaidFen years { year revenueFen } } } }',
    variables: (f) => ({ cc: f.target }),
    classify: (data) => (data.enterprise.tax ? 'allow' : 'deny'),
    expect: readTarget({ clerkCounty: 'deny' }),
  },
  // ---- the joint-audit sources: each field group and its uniform findings field. Readers as for
  // tax (not the window); police findings are not shown to the enterprise itself.
  ...SOURCE_FIELDS.flatMap(([source, field, selection]): Row[] => {
    const expect = readTarget({ clerkCounty: 'deny', ...(source === 'public-security' ? { enterpriseSelf: 'deny' as const } : {}) });
    return [
      {
        name: `Enterprise.${field} (${source})`,
        query: `query($cc: CreditCode!) { enterprise(creditCode: $cc) { ${field} { ${selection} } } }`,
        variables: (f) => ({ cc: f.target }),
        classify: (data) => (data.enterprise[field] ? 'allow' : 'deny'),
        expect,
      },
      {
        name: `Enterprise.${field}Findings (${source})`,
        query: `query($cc: CreditCode!) { enterprise(creditCode: $cc) { ${field}Findings { source asOf findings { category } } } }`,
        variables: (f) => ({ cc: f.target }),
        classify: (data) => (data.enterprise[`${field}Findings`] ? 'allow' : 'deny'),
        expect,
      },
    ];
  }),
  {
    name: 'Enterprise.pboc.accounts (account numbers by role)',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { pboc { accounts { accountNumber masked } } } }',
    variables: (f) => ({ cc: f.target }),
    classify: (data) => (!data.enterprise.pboc ? 'deny' : data.enterprise.pboc.accounts[0].masked ? 'masked' : 'clear'),
    expect: {
      ...readTarget({ clerkCounty: 'deny' }),
      enterpriseSelf: 'clear',
      approvalCounty: 'clear',
      reviewerCounty: 'masked',
      samrSystem: 'masked',
      taxSystem: 'masked',
      financeCounty: 'masked',
      auditor: 'masked',
      adminCity: 'masked',
      adminCounty: 'masked',
    },
  },
  {
    name: 'verifyBankAccount',
    query: 'query($cc: CreditCode!) { verifyBankAccount(creditCode: $cc, accountNumber: "6228480000000001") { verified } }',
    variables: (f) => ({ cc: f.target }),
    expect: readTarget({ clerkCounty: 'deny' }),
  },
  // ---- enterprises subgraph: bulk look-up (e.g. a screening's joint audit)
  {
    name: 'enterprisesByCreditCodes',
    query: 'query($cc: CreditCode!) { enterprisesByCreditCodes(creditCodes: [$cc]) { creditCode } }',
    variables: (f) => ({ cc: f.target }),
    expect: readTarget(),
  },
  // ---- joint-audit subgraph: officials who decide or pay, in their region; the auditor. Not the
  // window, not the enterprise itself.
  {
    name: 'Enterprise.jointAudit',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { jointAudit(policyCode: "MATRIX-1") { verdict } } }',
    variables: (f) => ({ cc: f.target }),
    classify: (data) => (data.enterprise.jointAudit?.verdict ? 'allow' : 'deny'),
    expect: readTarget({ enterpriseSelf: 'deny', clerkCounty: 'deny' }),
  },
  {
    name: 'jointAuditRules',
    query: '{ jointAuditRules(policyCode: "MATRIX-1") { isDefault } }',
    expect: { ...everyone('allow'), public: 'unauth', enterpriseSelf: 'deny', enterpriseOther: 'deny', clerkCounty: 'deny', clerkOtherCounty: 'deny' },
  },
  {
    // Callers run in CALLERS order: approvalCounty sets the policy first, so it belongs to 360732.
    name: 'setJointAuditRules (APPROVAL_BUREAU, ADMIN; the region that first set a policy owns it)',
    query: 'mutation { setJointAuditRules(policyCode: "MATRIX-1", rules: [{ source: "credit", category: SERIOUS_DISHONESTY, activeOnly: true, effect: HOLD }]) { isDefault } }',
    expect: { ...everyone('deny'), public: 'unauth', approvalCounty: 'allow', adminCity: 'allow', adminCounty: 'allow' },
  },
  // The policy calculator: whoever reads the enterprise's record, not the public. The indicators are
  // fetched as the caller: the window's refusals for tax/statistics/credit are reported on their own
  // paths while the calculator answers with those conditions unknown (tests/integration/eligible-policies.test.ts).
  {
    name: 'Enterprise.eligiblePolicies',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { eligiblePolicies { outcome } } }',
    variables: (f) => ({ cc: f.target }),
    classify: (data) => (Array.isArray(data.enterprise?.eligiblePolicies) ? 'allow' : 'deny'),
    ignoreErrorsAt: ['enterprise.tax', 'enterprise.statistics', 'enterprise.credit'],
    expect: readTarget(),
  },
  // Screening a whole region (the 免申即享 white list): officials of the region who read the sources
  // and the auditor; not the public, an enterprise, the window (it reads no source) or another county.
  {
    name: 'enterprisePopulation (officials of the region, the auditor)',
    query: '{ enterprisePopulation(regionCode: "360732") { size } }',
    expect: readTarget({ enterpriseSelf: 'deny' }),
  },
  {
    name: 'EnterprisePopulation.screening',
    query: '{ enterprisePopulation(regionCode: "360732") { screening(policyId: "XG-2026-005") { eligibleCount } } }',
    expect: readTarget({ enterpriseSelf: 'deny', clerkCounty: 'deny' }),
  },
  // ---- policies subgraph: 一网查询 for everyone; drafts for those who may act on them; the owning
  // department (and ADMIN of the region) edits; 县发改委/县财政局/县行政审批局 sign off.
  { name: 'policies (public search)', query: '{ policies(first: 5, filter: { keyword: "技改" }) { totalCount } }', expect: everyone('allow') },
  { name: 'policy (published)', query: '{ policy(id: "XG-2026-004") { id } }', classify: (data) => (data.policy ? 'allow' : 'deny'), expect: everyone('allow') },
  {
    // MATRIX callers: reviewerCounty is 360732-TAX (not an owner nor a signer); approvalCounty and financeCounty sign off.
    name: 'policy (a draft: owner, sign-off departments, ADMIN of the region, the auditor; else as if absent)',
    query: '{ policy(id: "XG-2026-031") { id } }',
    classify: (data) => (data.policy ? 'allow' : 'deny'),
    expect: { ...everyone('deny'), approvalCounty: 'allow', financeCounty: 'allow', auditor: 'allow', adminCity: 'allow', adminCounty: 'allow' },
  },
  {
    name: 'createPolicyDraft for 360732-MIIT (its staff and ADMIN of the region; others refused)',
    query: 'mutation($input: CreatePolicyInput!) { createPolicyDraft(input: $input) { id } }',
    variables: () => ({ input: { id: `XG-2099-${String(++matrixPolicySerial).padStart(3, '0')}`, department: '360732-MIIT', mode: 'INSTANT', guide: matrixGuide } }),
    expect: { ...everyone('deny'), public: 'unauth', adminCity: 'allow', adminCounty: 'allow' },
  },
  ...['updatePolicyDraft', 'submitPolicyForConsultation', 'publishPolicy', 'suspendPolicy', 'resumePolicy', 'expirePolicy', 'repealPolicy'].map(
    (mutation): Row => ({
      // Policies owned by departments no matrix caller belongs to: only ADMIN of the region gets past the owner check.
      name: `${mutation} (the owning department or ADMIN of the region; ADMIN here meets the lifecycle: input)`,
      query:
        mutation === 'updatePolicyDraft'
          ? 'mutation($g: PolicyGuideInput!) { updatePolicyDraft(id: "XG-2026-002", guide: $g) { id } }'
          : `mutation { ${mutation}(id: "XG-2026-033") { id } }`,
      variables: () => (mutation === 'updatePolicyDraft' ? { g: { ...matrixGuide, title: '高新技术企业认定奖励（矩阵测试修订）' } } : {}),
      // ADMIN of the region owns every policy of it: allowed, or refused by the lifecycle (input).
      classify: () => 'allow',
      expect: {
        ...everyone('deny'),
        public: 'unauth',
        adminCity: mutation === 'updatePolicyDraft' ? 'allow' : 'input',
        adminCounty: mutation === 'updatePolicyDraft' ? 'allow' : 'input',
      },
    }),
  ),
  // 精准推送 (tests/integration/push.test.ts): the enterprise's messages are read like its record;
  // only the enterprise marks its own read (another enterprise's message id is NOT_FOUND).
  {
    name: 'Enterprise.policyMessages',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { policyMessages { totalCount } } }',
    variables: (f) => ({ cc: f.target }),
    expect: readTarget(),
  },
  {
    name: 'markPolicyMessagesRead (the enterprise itself; its own messages only)',
    query: 'mutation($ids: [ID!]!) { markPolicyMessagesRead(ids: $ids) { id } }',
    variables: (f) => ({ ids: [f.message] }),
    expect: { ...everyone('deny'), public: 'unauth', enterpriseSelf: 'allow', enterpriseOther: 'absent' },
  },
  // ---- applications subgraph (tests/integration/applications.test.ts). The fixture case is the
  // target's, owned by 360732-TAX, online, in review. Who sees a case: the enterprise its own, the
  // owning department, the county's Approval Bureau and ADMIN, the auditor; a window only what it
  // took (none here); FINANCE reads no cases. A case one may not see is NOT_FOUND (no oracle).
  ...[
    { name: 'application(id)', query: 'query($id: ID!) { application(id: $id) { id status timeline { action } } }', variables: (f: Fixture) => ({ id: f.application }) },
    { name: 'applicationByReceipt', query: 'query($r: String!) { applicationByReceipt(receiptNumber: $r) { id } }', variables: (f: Fixture) => ({ r: f.receipt }) },
  ].map(
    (row): Row => ({
      ...row,
      expect: {
        public: 'unauth',
        enterpriseSelf: 'allow',
        enterpriseOther: 'absent',
        clerkCounty: 'absent',
        clerkOtherCounty: 'absent',
        reviewerCounty: 'allow',
        samrSystem: 'absent',
        taxSystem: 'allow',
        approvalCounty: 'allow',
        financeCounty: 'deny',
        auditor: 'allow',
        adminCity: 'allow',
        adminCounty: 'allow',
        adminOtherCounty: 'absent',
      },
    }),
  ),
  {
    name: 'applications (each caller its own scope: an empty page, not a refusal)',
    query: '{ applications(first: 5) { totalCount } }',
    expect: { ...everyone('allow'), public: 'unauth', financeCounty: 'deny' },
  },
  {
    name: 'Enterprise.applications',
    query: 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { applications { totalCount } } }',
    variables: (f) => ({ cc: f.target }),
    expect: readTarget({ financeCounty: 'deny' }),
  },
  {
    name: 'submitApplication (the enterprise itself, or a window clerk of an intake department: the matrix clerk has none)',
    query: 'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id channel } }',
    variables: (f) => ({ input: { policyId: 'XG-2026-003', creditCode: f.target, materials: [] } }),
    expect: { ...everyone('deny'), public: 'unauth', enterpriseSelf: 'allow' },
  },
  {
    name: 'resubmitApplication (the enterprise or its window; the case is in review: state)',
    query: 'mutation($id: ID!) { resubmitApplication(id: $id, input: { materials: [] }) { id } }',
    variables: (f) => ({ id: f.application }),
    expect: { ...everyone('deny'), public: 'unauth', enterpriseSelf: 'state', enterpriseOther: 'absent', clerkCounty: 'absent', clerkOtherCounty: 'absent' },
  },
  {
    name: 'checkApplication (window clerk, Approval Bureau; the case is past the formal check: state)',
    query: 'mutation($id: ID!) { checkApplication(id: $id, input: { accept: true }) { id } }',
    variables: (f) => ({ id: f.application }),
    expect: { ...everyone('deny'), public: 'unauth', clerkCounty: 'absent', clerkOtherCounty: 'absent', approvalCounty: 'state' },
  },
  {
    name: 'recordDepartmentDecision (the owning department; a rejection without explanation: input)',
    query: 'mutation($id: ID!) { recordDepartmentDecision(input: { applicationId: $id, decisionId: "matrix-0001", outcome: REJECTED, reason: "矩阵" }) { id } }',
    variables: (f) => ({ id: f.application }),
    expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'input', taxSystem: 'input', samrSystem: 'absent' },
  },
  {
    name: 'recordDepartmentProgress (the owning department; an INSTANT case has no evaluation: state)',
    query: 'mutation($id: ID!) { recordDepartmentProgress(input: { applicationId: $id, progressId: "matrix-0001", kind: "SITE_SURVEY", note: "矩阵" }) { id } }',
    variables: (f) => ({ id: f.application }),
    expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'state', taxSystem: 'state', samrSystem: 'absent' },
  },
  // 归集存档 (docs/after-decision.md "Payment and archive"): the fixture case is not archived, so a
  // reader who may see it gets null; the auditor, the county's bureau and the enterprise itself only.
  {
    name: 'archivedDossier (auditor, the region\'s Approval Bureau, the enterprise itself)',
    query: 'query($id: ID!) { archivedDossier(applicationId: $id) { sha256 verified } }',
    variables: (f) => ({ id: f.application }),
    expect: { ...everyone('deny'), public: 'unauth', enterpriseSelf: 'allow', enterpriseOther: 'absent', approvalCounty: 'allow', auditor: 'allow' },
  },
  {
    name: 'verifyArchivedDossiers (auditor, the region\'s Approval Bureau)',
    query: '{ verifyArchivedDossiers(regionCode: "360732") { checked failed } }',
    expect: { ...everyone('deny'), public: 'unauth', approvalCounty: 'allow', auditor: 'allow' },
  },
  {
    name: 'signOffPolicy (县发改委, 县财政局, 县行政审批局 of the region)',
    query: 'mutation { signOffPolicy(id: "XG-2026-033", decision: APPROVED) { id } }',
    // approvalCounty signs first; financeCounty second (CALLERS order). Others: refused.
    expect: { ...everyone('deny'), public: 'unauth', approvalCounty: 'allow', financeCounty: 'allow' },
  },
  // ---- departments subgraph (docs/departments.md): the case of 360732-TAX is worked by TAX's
  // staff only; SAMR's system finds it absent; the bureau and the auditor read it, never work it.
  {
    name: 'departmentCases (the inbox: department staff their own department, the auditor any)',
    query: '{ departmentCases(first: 5) { totalCount } }',
    expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'allow', samrSystem: 'allow', taxSystem: 'allow', auditor: 'allow' },
  },
  {
    name: 'departmentCases of 360732-TAX (another department: refused)',
    query: '{ departmentCases(department: "360732-TAX", first: 5) { totalCount nodes { id } } }',
    expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'allow', taxSystem: 'allow', auditor: 'allow' },
  },
  {
    name: 'departmentCase(id) (its department, the bureau of its region, the auditor; others: absent)',
    query: 'query($id: ID!) { departmentCase(id: $id) { id payee { masked } } }',
    variables: (f) => ({ id: f.departmentCase }),
    classify: (data) => (data.departmentCase ? 'allow' : 'absent'),
    expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'allow', taxSystem: 'allow', samrSystem: 'absent', approvalCounty: 'allow', auditor: 'allow' },
  },
  {
    // Assigned to reviewerCounty's own subject, so its records below are its to make.
    name: 'assignDepartmentCase (staff of the department; another department: absent)',
    query: 'mutation($id: ID!) { assignDepartmentCase(id: $id, reviewer: "dev-department_reviewer") { status } }',
    variables: (f) => ({ id: f.departmentCase }),
    expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'allow', taxSystem: 'allow', samrSystem: 'absent' },
  },
  ...(['recordSiteSurvey', 'recordEvaluation'] as const).map(
    (mutation): Row => ({
      name: `${mutation} (staff of the department; another department: absent)`,
      query: `mutation($id: ID!) { ${mutation}(id: $id, input: { date: "2025-06-02", people: ["王工"], findings: "与申报一致", conclusion: "属实" }) { status } }`,
      variables: (f) => ({ id: f.departmentCase }),
      expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'allow', taxSystem: 'allow', samrSystem: 'absent' },
    }),
  ),
  {
    // A rejection without its reason: who may decide meets the rule (input), the case stays open.
    name: 'decideDepartmentCase (staff of the department reach the rules; another department: absent)',
    query: 'mutation($id: ID!) { decideDepartmentCase(id: $id, input: { outcome: REJECTED }) { status } }',
    variables: (f) => ({ id: f.departmentCase }),
    expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'input', taxSystem: 'input', samrSystem: 'absent' },
  },
  // ---- applications subgraph after the decision (docs/applications.md): ids nobody holds, so a
  // caller who may act meets NOT_FOUND (absent) and everyone else FORBIDDEN before anything is read.
  {
    name: 'confirmWhiteList (a department\'s staff or system; the screening is then looked for: absent)',
    query: `mutation { confirmWhiteList(input: { screeningId: "${NOBODY}", digest: "${'0'.repeat(64)}" }) { state } }`,
    expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'absent', samrSystem: 'absent', taxSystem: 'absent' },
  },
  {
    name: 'whiteListConfirmation (departments, the bureau and ADMIN of the region, the auditor: absent for an unknown screening)',
    query: `{ whiteListConfirmation(screeningId: "${NOBODY}") { state } }`,
    expect: { ...everyone('absent'), public: 'unauth', enterpriseSelf: 'deny', enterpriseOther: 'deny', clerkCounty: 'deny', clerkOtherCounty: 'deny', financeCounty: 'deny' },
  },
  ...(['releaseHold(id: $id, reason: "已整改")', 'refuseHeld(id: $id, reason: "未整改", policyExplanation: "依据第十二条")'] as const).map(
    (call): Row => ({
      name: `${call.slice(0, call.indexOf('('))} (the Approval Bureau only; an unknown case: absent)`,
      query: `mutation($id: ID!) { ${call} { status } }`,
      variables: () => ({ id: NOBODY }),
      expect: { ...everyone('deny'), public: 'unauth', approvalCounty: 'absent' },
    }),
  ),
  {
    name: 'correctPayeeAccount (the enterprise, its own cases; an unknown case: absent)',
    query: 'mutation($id: ID!) { correctPayeeAccount(id: $id, account: "6228480000000001", bank: "江西银行") { status } }',
    variables: () => ({ id: NOBODY }),
    expect: { ...everyone('deny'), public: 'unauth', enterpriseSelf: 'absent', enterpriseOther: 'absent' },
  },
  {
    name: 'supervision of 360732 (the Approval Bureau, ADMIN covering the region, the auditor)',
    query: '{ supervision(regionCode: "360732", asOf: "2026-10-12") { overdueCount } }',
    expect: { ...everyone('deny'), public: 'unauth', approvalCounty: 'allow', auditor: 'allow', adminCity: 'allow', adminCounty: 'allow' },
  },
  // ---- funds: 年度清算 (docs/funds-clearing.md). FINANCE and the Approval Bureau of the region, the
  // auditor, and departments (their own rows: tests/integration/funds-clearing.test.ts) read it; only
  // FINANCE of the county closes a year (2099: no order of it is open, so the close goes through).
  {
    name: 'annualClearing of 360732 (FINANCE, APPROVAL_BUREAU, departments — their own rows —, the auditor)',
    query: '{ annualClearing(fiscalYear: 2026, regionCode: "360732") { total { paidFen } } }',
    expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'allow', samrSystem: 'allow', taxSystem: 'allow', approvalCounty: 'allow', financeCounty: 'allow', auditor: 'allow' },
  },
  {
    name: 'closeFiscalYear of 360732 (FINANCE of the county only)',
    query: 'mutation { closeFiscalYear(fiscalYear: 2099, regionCode: "360732") { fiscalYear } }',
    expect: { ...everyone('deny'), public: 'unauth', financeCounty: 'allow' },
  },
  {
    // Whoever reads the application (the applications subgraph decides: others find it absent) and may read the
    // case: the bureau, the auditor (and the owning department's staff, tests/integration/departments.test.ts);
    // the enterprise itself, FINANCE and ADMIN read the application, the case is refused to them.
    name: 'Application.departmentCase (the bureau, the auditor, the owning department)',
    query: 'query($id: ID!) { application(id: $id) { id departmentCase { id } } }',
    variables: (f) => ({ id: f.dispatched }),
    classify: (data) => (data.application?.departmentCase ? 'allow' : 'absent'),
    expect: {
      ...everyone('absent'),
      public: 'unauth',
      enterpriseSelf: 'deny',
      financeCounty: 'deny',
      adminCity: 'deny',
      adminCounty: 'deny',
      approvalCounty: 'allow',
      auditor: 'allow',
    },
  },
  // ---- hrss: 县人社局's own system (examples/department-system, not the kit). Its inbox is for its
  // staff and its system (none among these callers: tests/integration/department-system.test.ts)
  // and the auditor; a review is recorded by its reviewers only, decided before loading.
  { name: 'employmentCases (县人社局’s staff and system, the auditor)', query: '{ employmentCases(first: 5) { totalCount } }', expect: { ...everyone('deny'), public: 'unauth', auditor: 'allow' } },
  {
    name: 'recordEmploymentReview (县人社局’s reviewers only)',
    query: `mutation { recordEmploymentReview(input: { applicationId: "a0000000-0000-4000-8000-000000000000", employedHeadcount: 10, socialInsuranceMonths: 12,
      conclusion: QUALIFIED, amountFen: 100000, payeeAccount: "6228480000000001", payeeBank: "江西兴国农村商业银行" }) { decisionId } }`,
    expect: { ...everyone('deny'), public: 'unauth' },
  },
  // ---- funds: budgets are FINANCE's of the region (the bureau, the auditor and the policy's department read);
  // payment orders are the Approval Bureau's to send (FINANCE and the bureau reconcile); an enterprise reads its own.
  {
    name: 'budgets (FINANCE, the bureau, the auditor; department staff their own department)',
    query: '{ budgets(fiscalYear: 2026, first: 5) { totalCount nodes { remainingFen entries { kind } } } }',
    expect: { ...everyone('deny'), public: 'unauth', reviewerCounty: 'allow', samrSystem: 'allow', taxSystem: 'allow', approvalCounty: 'allow', financeCounty: 'allow', auditor: 'allow' },
  },
  {
    name: 'adjustBudget (FINANCE of the region only)',
    query: 'mutation($id: ID!) { adjustBudget(id: $id, deltaFen: 100, reason: "矩阵：追加") { id assignedFen } }',
    variables: (f) => ({ id: f.budget }),
    expect: { ...everyone('deny'), public: 'unauth', financeCounty: 'allow' },
  },
  {
    name: 'moveBudgetToPayer (FINANCE of the region only)',
    query: 'mutation($id: ID!) { moveBudgetToPayer(id: $id) { id movedToPayer } }',
    variables: (f) => ({ id: f.budget }),
    expect: { ...everyone('deny'), public: 'unauth', financeCounty: 'allow' },
  },
  {
    name: 'setBudget (FINANCE only; a malformed policy code: input)',
    query: 'mutation { setBudget(input: { policyId: "bad", fiscalYear: 2026, amountFen: 100, reason: "矩阵" }) { id } }',
    expect: { ...everyone('deny'), public: 'unauth', financeCounty: 'input' },
  },
  {
    name: 'paymentOrders (the bureau, FINANCE, the auditor, department staff, enterprises: each its own scope)',
    query: '{ paymentOrders(first: 5) { totalCount nodes { id payeeAccount } } }',
    expect: { ...everyone('deny'), public: 'unauth', enterpriseSelf: 'allow', enterpriseOther: 'allow', reviewerCounty: 'allow', samrSystem: 'allow', taxSystem: 'allow', approvalCounty: 'allow', financeCounty: 'allow', auditor: 'allow' },
  },
  {
    name: 'sendPaymentOrder (the Approval Bureau of the region only; a settled order is returned unchanged)',
    query: 'mutation($id: ID!) { sendPaymentOrder(id: $id) { id status } }',
    variables: (f) => ({ id: f.paymentOrder }),
    expect: { ...everyone('deny'), public: 'unauth', approvalCounty: 'allow' },
  },
  {
    name: 'retryPaymentOrder (the Approval Bureau of the region only)',
    query: 'mutation($id: ID!) { retryPaymentOrder(id: $id) { id status } }',
    variables: (f) => ({ id: f.paymentOrder }),
    expect: { ...everyone('deny'), public: 'unauth', approvalCounty: 'allow' },
  },
  {
    name: 'reconcilePayments (the Approval Bureau and FINANCE)',
    query: 'mutation { reconcilePayments(date: "2026-09-28") { checked fixed differences { kind } } }',
    expect: { ...everyone('deny'), public: 'unauth', approvalCounty: 'allow', financeCounty: 'allow' },
  },
  {
    name: 'simulateBankFault (ADMIN only: demos of the simulated bank)',
    query: 'mutation { simulateBankFault(input: { kind: FAIL, orderId: "f0000000-0000-4000-8000-00000000fa11" }) { kind } }',
    expect: { ...everyone('deny'), public: 'unauth', adminCity: 'allow', adminCounty: 'allow', adminOtherCounty: 'allow' },
  },
  {
    name: 'Application.payment (the bureau, FINANCE, the auditor, the owning department, the enterprise itself)',
    query: 'query($id: ID!) { application(id: $id) { id payment { id status amountFen payeeAccount } } }',
    variables: (f) => ({ id: f.application }),
    classify: (data) => (data.application?.payment ? 'allow' : 'absent'),
    // FINANCE and ADMIN are refused the application itself (the applications subgraph); those who read it see the order only if they may.
    expect: {
      ...everyone('absent'),
      public: 'unauth',
      financeCounty: 'deny',
      adminCity: 'deny',
      adminCounty: 'deny',
      enterpriseSelf: 'allow',
      reviewerCounty: 'allow',
      taxSystem: 'allow',
      approvalCounty: 'allow',
      auditor: 'allow',
    },
  },
];

function outcomeOf(body: { data?: any; errors?: any[] }, row: Row): Outcome | string {
  const errors = body.errors?.filter((e) => !row.ignoreErrorsAt?.includes((e.path ?? []).join('.')));
  const code = errors?.[0]?.extensions?.code;
  if (code === 'UNAUTHENTICATED') return 'unauth';
  if (code === 'FORBIDDEN') return 'deny';
  if (code === 'BAD_USER_INPUT') return 'input';
  if (code === 'NOT_FOUND') return 'absent';
  if (code === 'WRONG_STATE') return 'state';
  if (code) return `error ${code}: ${errors![0].message}`;
  return row.classify ? row.classify(body.data) : 'allow';
}

describeDb('role × operation matrix, through the gateway', () => {
  let graph: TestGraph;
  let fixture: Fixture;
  const tokens = {} as Record<Caller, string | undefined>;

  beforeAll(async () => {
    // The screening rows read the whole county from every source: not under the tests' 800 ms tax limit.
    // The clock of the applications subgraph: inside the demo policies' 2026 application window whatever day the tests run.
    graph = await startTestGraph({ env: { SUBGRAPH_TIMEOUT_MS: '60000', SUBGRAPH_TAX_TIMEOUT_MS: '60000' }, now: () => new Date('2026-09-29T02:00:00Z') });
    const auditor = await graph.token({ role: 'AUDITOR' });
    const nodes = async (region: string) =>
      (await graph.query(`query($r: String) { enterprises(first: 30, filter: { regionCode: $r }) { nodes { creditCode tax { creditRating } } } }`, { r: region }, auditor)).body.data.enterprises.nodes;
    const target = (await nodes('360732')).find((n: any) => n.tax).creditCode;
    const other = (await nodes('360731'))[0].creditCode;
    // A message to the target, as the push consumer would write it.
    const message = Object.assign(new PolicyMessage(), {
      id: randomUUID(), creditCode: target, policyId: 'XG-2026-004', version: 1, kind: 'PUBLISHED', title: '新政策推送：矩阵', body: '矩阵测试', amountFen: null, createdAt: new Date(), readAt: null,
    });
    await graph.subgraphs.policies.db.orm.em.fork().insert(PolicyMessage, message);
    // A case of the target as the dispatch consumer would write it, in 360732-TAX's inbox, decided to be paid to an account.
    const departmentCase = Object.assign(new DepartmentCase(), {
      id: randomUUID(), applicationId: randomUUID(), receiptNumber: '360732-20260105-900001', policyId: 'XG-2026-003', policyVersion: 1, policyTitle: '矩阵测试',
      mode: 'INSTANT', department: '360732-TAX', regionCode: '360732', creditCode: target, enterpriseName: '矩阵测试企业', channel: 'HALL_WINDOW',
      acceptedAt: new Date(), receivedAt: new Date(), deadline: null, materials: [], tolerated: [], formData: {}, status: 'RECEIVED', assignee: null, assignedAt: null,
      decisionId: null, outcome: null, amountFen: null, payeeAccount: '6228480000000001', payeeBank: null, reason: null, policyExplanation: null, note: null,
      decidedAt: null, decidedBy: null, pushedAt: null, pushError: null, updatedAt: new Date(),
    });
    await graph.subgraphs.departments.db.orm.em.fork().insert(DepartmentCase, departmentCase);
    // The target's application to a MIIT policy, submitted and accepted at the county hall's window; dispatched to the departments subgraph.
    const hall = await graph.token({ role: 'WINDOW_CLERK', department: '360732-APPROVAL', region: '360732' });
    // XG-2026-011 (also 县工信局's): the submitApplication row applies for XG-2026-003 as the target itself.
    const materials = [await graph.uploadMaterial(target, '规上工业企业增产增效奖励申报表')];
    const submitted = await graph.query('mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }', { input: { policyId: 'XG-2026-011', creditCode: target, materials } }, hall);
    const dispatched = submitted.body.data.submitApplication.id;
    expect((await graph.query('mutation($id: ID!) { checkApplication(id: $id, input: { accept: true }) { status } }', { id: dispatched }, hall)).body.data.checkApplication.status).toBe('IN_REVIEW');
    await eventually(() => graph.subgraphs.departments.db.orm.em.fork().count(DepartmentCase, { applicationId: dispatched }), (n) => n === 1);
    // An application of the target, in review at the county tax bureau (a department the matrix has callers of).
    const at = new Date();
    const application = Object.assign(new Application(), {
      id: randomUUID(), receiptNumber: '360732-20260101-990001', policyId: 'XG-2026-006', policyVersion: 1, policyTitle: '矩阵', mode: 'INSTANT', department: '360732-TAX',
      regionCode: '360732', creditCode: target, enterpriseName: '矩阵', channel: 'ONLINE', intakeDepartment: null, status: 'IN_REVIEW', period: '2026-01-01',
      data: {}, reviewDays: 5, stepCount: 0, stateEnteredAt: at, submittedAt: at, updatedAt: at,
    });
    await graph.subgraphs.applications.db.orm.em.fork().insert(Application, application);
    const budget = Object.assign(new BudgetIndicator(), {
      id: randomUUID(), policyId: 'XG-2026-006', fiscalYear: 2026, level: 'COUNTY', regionCode: '360732', department: '360732-TAX', assignedFen: 100_000, heldFen: 0, spentFen: 50_000,
      cityShareBp: null, movedToPayer: false, movedAt: null, createdAt: at, updatedAt: at,
    });
    await graph.subgraphs.funds.db.orm.em.fork().insert(BudgetIndicator, budget);
    const paymentOrder = Object.assign(new PaymentOrder(), {
      id: randomUUID(), applicationId: application.id, receiptNumber: application.receiptNumber, policyId: 'XG-2026-006', fiscalYear: 2026, regionCode: '360732', department: '360732-TAX',
      creditCode: target, enterpriseName: '矩阵', amountFen: 50_000, cityFen: 0, countyFen: 50_000, payeeAccount: '6228480000000001', payeeBank: '江西兴国农村商业银行', status: 'SETTLED',
      waitingReason: null, holding: false, bankReference: 'MATRIX0001', bankReason: null, attempts: 1, deadline: '2026-09-30', createdAt: at, sentAt: at, settledAt: at, updatedAt: at,
    });
    await graph.subgraphs.funds.db.orm.em.fork().insert(PaymentOrder, paymentOrder);
    let serial = 0;
    fixture = {
      dispatched,
      target,
      other,
      message: message.id,
      departmentCase: departmentCase.id,
      application: application.id,
      receipt: application.receiptNumber,
      budget: budget.id,
      paymentOrder: paymentOrder.id,
      registration(regionCode) {
        serial++;
        const body = `MX${String(serial).padStart(6, '0')}`;
        return {
          creditCode: makeCreditCode({ authority: '9', entityType: '1', regionCode, orgBody8: body }),
          name: `矩阵测试第${serial}号科技有限公司`,
          legalRepresentative: '李四',
          legalRepresentativeIdNumber: '36073219850101002' + residentIdCheckChar('36073219850101002'),
          registeredOn: '2020-01-02',
          regionCode,
          industryCode: 'I65',
          scale: 'MICRO',
          address: '江西省赣州市兴国县潋江镇测试路1号',
          bankName: '江西兴国农村商业银行',
          bankAccount: '6228480000000001',
        };
      },
    };
    for (const [caller, claims] of Object.entries(CALLERS) as [Caller, (typeof CALLERS)[Caller]][]) {
      if (!claims) continue;
      const creditCode = 'creditCode' in claims ? (claims.creditCode === 'TARGET' ? target : other) : undefined;
      tokens[caller] = await graph.token({ ...claims, ...(creditCode ? { creditCode } : {}) });
    }
  });
  afterAll(() => graph?.stop());

  /**
   * The routes beside the graph (docs/uploads.md) by the same callers: `POST /uploads` of a PDF
   * for the target (clerks name it), then `GET /uploads/<id>` of one the target uploaded itself.
   * A window clerk uploads only as a clerk of an intake department (县行政审批局, 经开区管委会).
   */
  test('POST /uploads and GET /uploads/<id> (materials, applications subgraph)', async () => {
    const base = graph.gatewayUrl.replace(/\/graphql$/, '');
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const outcome = (status: number): Outcome | string =>
      ({ 200: 'allow', 201: 'allow', 401: 'unauth', 403: 'deny', 404: 'absent', 400: 'input' })[status] ?? `HTTP ${status}`;
    const upload = (token: string | undefined) =>
      fetch(`${base}/uploads?creditCode=${fixture.target}&fileName=matrix.pdf`, { method: 'POST', body: pdf, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const own = (await (await upload(tokens.enterpriseSelf)).json()) as { id: string };
    const windowClerk = (claims: object) => ('department' in claims && ['360732-APPROVAL', '360732-EDZ'].includes((claims as { department: string }).department) ? 'allow' : 'deny');
    const uploads = {} as Record<Caller, Outcome | string>;
    const downloads = {} as Record<Caller, Outcome | string>;
    for (const caller of Object.keys(CALLERS) as Caller[]) {
      uploads[caller] = outcome((await upload(tokens[caller])).status);
      downloads[caller] = outcome((await fetch(`${base}/uploads/${own.id}`, { headers: tokens[caller] ? { authorization: `Bearer ${tokens[caller]}` } : {} })).status);
    }
    expect(uploads).toEqual({ ...everyone('deny'), public: 'unauth', enterpriseSelf: 'allow', clerkCounty: windowClerk(CALLERS.clerkCounty) });
    // Officials without a case listing the file see it as absent (no existence oracle); FINANCE reads no materials.
    expect(downloads).toEqual({
      ...everyone('absent'),
      public: 'unauth',
      enterpriseSelf: 'allow',
      approvalCounty: 'allow',
      financeCounty: 'deny',
      auditor: 'allow',
      adminCity: 'allow',
      adminCounty: 'allow',
    });
  });

  test.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const actual = {} as Record<Caller, Outcome | string>;
    for (const caller of Object.keys(CALLERS) as Caller[]) {
      const { body } = await graph.query(row.query, row.variables?.(fixture), tokens[caller]);
      actual[caller] = outcomeOf(body, row);
    }
    expect(actual).toEqual(row.expect);
  });

  /**
   * No existence oracle: a caller who may not read tax data gets the same answer whether or not
   * the enterprise has a tax profile (today a window clerk would see `null` for one and FORBIDDEN
   * for the other). Decided before loading, from the key.
   */
  describe('refusals do not depend on whether a record exists', () => {
    let withProfile: string;
    let withoutProfile: string;
    beforeAll(async () => {
      withProfile = fixture.target;
      const admin = await graph.token({ role: 'ADMIN', region: '360732' });
      const registered = await graph.query('mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode tax { creditRating } } }', { input: fixture.registration('360732') }, admin);
      expect(registered.body.errors).toBeUndefined();
      withoutProfile = registered.body.data.registerEnterprise.creditCode;
      const auditor = await graph.token({ role: 'AUDITOR' });
      const tax = async (cc: string) => (await graph.query('query($cc: CreditCode!) { enterprise(creditCode: $cc) { tax { creditRating } } }', { cc }, auditor)).body.data.enterprise.tax;
      expect(await tax(withProfile)).not.toBeNull();
      expect(await tax(withoutProfile)).toBeNull();
    });

    const strip = (body: any) => JSON.parse(JSON.stringify(body).split(withProfile).join('CC').split(withoutProfile).join('CC'));

    test('Enterprise.tax for a window clerk: FORBIDDEN for both', async () => {
      const q = 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { tax { creditRating } } }';
      const a = await graph.query(q, { cc: withProfile }, tokens.clerkCounty);
      const b = await graph.query(q, { cc: withoutProfile }, tokens.clerkCounty);
      expect(a.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(strip(b.body)).toEqual(strip(a.body));
    });

    test('enterprise(creditCode) out of region: FORBIDDEN for an existing and a never-registered code', async () => {
      const q = 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { name } }';
      const missing = makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: 'NX000001' });
      const a = await graph.query(q, { cc: withProfile }, tokens.clerkOtherCounty);
      const b = await graph.query(q, { cc: missing }, tokens.clerkOtherCounty);
      expect(a.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(b.body.errors[0]).toEqual(a.body.errors[0]);
    });

    test('anonymous _entities straight at each subgraph: the same answer with and without a record', async () => {
      const missing = makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: 'NX000002' });
      const cases = [
        { subgraph: 'tax', selection: '... on Enterprise { tax { creditRating } }', codes: [withProfile, withoutProfile] },
        { subgraph: 'enterprises', selection: '... on Enterprise { name }', codes: [withProfile, missing] },
      ];
      for (const { subgraph, selection, codes } of cases) {
        const ask = (cc: string) =>
          postGraphql(graph.subgraphs[subgraph].http.url, {
            query: `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`,
            variables: { r: [{ __typename: 'Enterprise', creditCode: cc }] },
          });
        const [a, b] = [await ask(codes[0]), await ask(codes[1])];
        expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(a.body.errors?.[0]?.extensions?.code);
        expect(b.status).toBe(a.status);
        expect(JSON.parse(JSON.stringify(b.body).split(codes[1]).join('CC'))).toEqual(JSON.parse(JSON.stringify(a.body).split(codes[0]).join('CC')));
      }
    });
  });
});
