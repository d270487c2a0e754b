import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applicationsSubgraph } from '../../subgraphs/applications';
import { Application, ApplicationStep } from '../../subgraphs/applications/application.entity';
import {
  ApplicationStatus,
  deadlineFor,
  fire,
  REQUIREMENTS,
  requirementsOf,
  TRANSITIONS,
  workdayDeadline,
  type Given,
  type Party,
  type Requirement,
  type Transition,
  type WorkflowActor,
} from '../../subgraphs/applications/workflow';
import { workflowsDocument } from '../../subgraphs/applications/workflow/diagram';
import { OutboxEvent } from '../../subgraphs/kit/events/outbox';
import { openTestDatabase, type TestDatabase } from '../support/db';

/**
 * The workflow table and `fire`, on a real (in-memory) database of the applications subgraph:
 * what the contract says each transition allows, requires and starts, every refusal changing
 * nothing, and deadlines on the official calendar across 国庆节 and 春节 with their make-up days.
 */

const A = '91360732MA35XXXX0K';

/** The contract's table (I9-CONTRACT.md), restated: a change to the workflow must change this too. */
const CONTRACT: Record<string, { from: string[] | null; to: string; by: Party[]; requires: Requirement[] }> = {
  submit: { from: null, to: 'SUBMITTED', by: ['ENTERPRISE', 'WINDOW_CLERK'], requires: [] },
  return: { from: ['SUBMITTED'], to: 'RETURNED', by: ['WINDOW_CLERK', 'APPROVAL_BUREAU'], requires: ['missingList'] },
  resubmit: { from: ['RETURNED'], to: 'SUBMITTED', by: ['ENTERPRISE', 'WINDOW_CLERK'], requires: [] },
  accept: { from: ['SUBMITTED'], to: 'IN_REVIEW', by: ['WINDOW_CLERK', 'APPROVAL_BUREAU'], requires: ['materialsComplete', 'tolerance'] },
  evaluate: { from: ['IN_REVIEW', 'EVALUATION'], to: 'EVALUATION', by: ['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM'], requires: ['progressKind'] },
  approve: { from: ['IN_REVIEW', 'EVALUATION'], to: 'APPROVED', by: ['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM'], requires: ['amount', 'payeeAccount'] },
  reject: { from: ['IN_REVIEW', 'EVALUATION'], to: 'REJECTED', by: ['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM'], requires: ['reason', 'policyExplanation'] },
  confirm: { from: null, to: 'APPROVED', by: ['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM'], requires: ['screening', 'amount', 'payeeAccount'] },
  audit: { from: ['APPROVED'], to: 'JOINT_AUDIT', by: ['SYSTEM'], requires: [] },
  clear: { from: ['JOINT_AUDIT'], to: 'AWAITING_PAYMENT', by: ['SYSTEM'], requires: ['verdictClear'] },
  hold: { from: ['JOINT_AUDIT'], to: 'HELD', by: ['SYSTEM'], requires: ['verdictHold'] },
  release: { from: ['HELD'], to: 'AWAITING_PAYMENT', by: ['APPROVAL_BUREAU'], requires: ['reason'] },
  refuse: { from: ['HELD'], to: 'REJECTED', by: ['APPROVAL_BUREAU'], requires: ['reason', 'policyExplanation'] },
  pay: { from: ['AWAITING_PAYMENT'], to: 'PAID', by: ['SYSTEM'], requires: [] },
  archive: { from: ['PAID', 'REJECTED'], to: 'ARCHIVED', by: ['SYSTEM', 'APPROVAL_BUREAU'], requires: [] },
};

/** Given values that satisfy each requirement, and values that do not. */
const GOOD: Record<Requirement, Given> = {
  commitment: { commitmentSigned: true },
  missingList: { missing: ['专精特新认定文件'] },
  materialsComplete: { missingRequired: [] },
  tolerance: { tolerated: [], tolerable: [] },
  amount: { amountFen: 100_000, amountCapFen: 100_000 },
  payeeAccount: { payeeAccount: '6228480000000001' },
  reason: { reason: '理由' },
  policyExplanation: { policyExplanation: '依据第五条' },
  progressKind: { progressKind: 'SITE_SURVEY' },
  screening: { screeningId: 'screening-1', screeningDigest: 'abc' },
  verdictClear: { verdict: 'WARN' },
  verdictHold: { verdict: 'HOLD' },
};
const BAD: Record<Requirement, Given> = {
  commitment: { commitmentSigned: false },
  missingList: { missing: ['  '] },
  materialsComplete: { missingRequired: ['专精特新认定文件'] },
  tolerance: { missingRequired: ['专精特新认定文件'], tolerated: ['专精特新认定文件'], tolerable: [] },
  amount: { amountFen: 100_001, amountCapFen: 100_000 },
  payeeAccount: { payeeAccount: ' ' },
  reason: { reason: '' },
  policyExplanation: { policyExplanation: '   ' },
  progressKind: { progressKind: 'LUNCH' },
  screening: { screeningId: 'screening-1', screeningDigest: '' },
  verdictClear: { verdict: 'HOLD' },
  verdictHold: { verdict: 'PASS' },
};

/** An actor of each party with the relation to the case (below) the table requires. */
const ACTOR: Record<string, WorkflowActor> = {
  ENTERPRISE: { role: 'ENTERPRISE', creditCode: A, subject: 'ent' },
  WINDOW_CLERK: { role: 'WINDOW_CLERK', department: '360732-APPROVAL', region: '360732', subject: 'clerk' },
  APPROVAL_BUREAU: { role: 'APPROVAL_BUREAU', region: '360732', subject: 'bureau' },
  DEPARTMENT_REVIEWER: { role: 'DEPARTMENT_REVIEWER', department: '360732-MIIT', region: '360732', subject: 'reviewer' },
  DEPARTMENT_SYSTEM: { role: 'DEPARTMENT_SYSTEM', department: '360732-MIIT', region: '360732', subject: 'system-miit' },
  SYSTEM: { role: 'SYSTEM', subject: 'system:applications-test' },
  FINANCE: { role: 'FINANCE', region: '360732' },
  AUDITOR: { role: 'AUDITOR' },
  ADMIN: { role: 'ADMIN', region: '360732' },
};
/** The same parties without the relation: another enterprise, county, window or department. */
const STRANGER: Partial<Record<Party, WorkflowActor>> = {
  ENTERPRISE: { role: 'ENTERPRISE', creditCode: '91360731MA35YYYY0K' },
  WINDOW_CLERK: { role: 'WINDOW_CLERK', department: '360731-APPROVAL', region: '360731' },
  APPROVAL_BUREAU: { role: 'APPROVAL_BUREAU', region: '360731' },
  DEPARTMENT_REVIEWER: { role: 'DEPARTMENT_REVIEWER', department: '360732-COMMERCE', region: '360732' },
  DEPARTMENT_SYSTEM: { role: 'DEPARTMENT_SYSTEM', department: '360732-HRSS', region: '360732' },
};

const AT = new Date('2026-09-29T02:00:00Z'); // Tuesday 10:00 in China, before 国庆节

let serial = 0;
function applicationIn(status: string | null, transition: Transition): Application {
  const a = new Application();
  Object.assign(a, {
    id: `00000000-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
    receiptNumber: `360732-20260929-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
    policyId: 'XG-2026-003',
    policyVersion: 1,
    policyTitle: '测试政策',
    mode: transition.modes[0],
    department: '360732-MIIT',
    regionCode: '360732',
    creditCode: A,
    enterpriseName: '测试企业',
    channel: 'ONLINE',
    intakeDepartment: null,
    // One case per (policy, enterprise, period): each test case its own period.
    period: String(++serial),
    data: {},
    reviewDays: 5,
    submittedAt: AT,
    stateEnteredAt: AT,
    updatedAt: AT,
  });
  if (status) Object.assign(a, { status, stepCount: 3, deadline: '2026-10-12', deadlineWorkdays: 5 });
  return a;
}

const goodGiven = (t: Transition, mode = t.modes[0]) => Object.assign({}, ...requirementsOf(t, mode).map((r) => GOOD[r])) as Given;

describe('the workflow table', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(applicationsSubgraph, { demo: false });
  });
  afterAll(() => db.close());

  test('says what the contract says, transition by transition', () => {
    const table = Object.fromEntries(TRANSITIONS.map((t) => [t.action, { from: t.from, to: t.to, by: t.by, requires: t.requires }]));
    expect(table).toEqual(CONTRACT);
    // COMMITMENT alone requires the credit commitment at submission; evaluation is COMMITMENT's; confirmation NO_APPLICATION's.
    const modes = Object.fromEntries(TRANSITIONS.map((t) => [t.action, t.modes]));
    expect(modes.submit).toEqual(['INSTANT', 'COMMITMENT']);
    expect(requirementsOf(TRANSITIONS.find((t) => t.action === 'submit')!, 'COMMITMENT')).toEqual(['commitment']);
    expect(requirementsOf(TRANSITIONS.find((t) => t.action === 'submit')!, 'INSTANT')).toEqual([]);
    expect(modes.evaluate).toEqual(['COMMITMENT']);
    expect(modes.confirm).toEqual(['NO_APPLICATION']);
    // Every requirement named has a rule; every status is entered by some transition.
    for (const t of TRANSITIONS) for (const r of requirementsOf(t, 'COMMITMENT')) expect(REQUIREMENTS[r]).toBeDefined();
    expect(new Set(TRANSITIONS.map((t) => t.to))).toEqual(new Set(Object.values(ApplicationStatus)));
  });

  test.each(TRANSITIONS.map((t) => [t.action, t] as const))('%s: fired by each party it names, with its requirements met: step, status, deadline, event', async (_action, t) => {
    for (const party of t.by) {
      const em = db.orm.em.fork();
      const a = applicationIn(t.from?.[0] ?? null, t);
      if (t.from) em.persist(a);
      const { step, event } = fire(em, a, t.action, { actor: ACTOR[party], at: AT, note: `由 ${party}`, given: goodGiven(t) });
      await em.flush();
      expect(a.status).toBe(t.to);
      expect(step).toMatchObject({ seq: t.from ? 4 : 1, action: t.action, fromStatus: t.from?.[0] ?? null, toStatus: t.to, actorRole: party, note: `由 ${party}` });
      expect(await db.orm.em.fork().count(ApplicationStep, { application: a.id })).toBe(1);
      if (t.emits) expect((await db.orm.em.fork().findOne(OutboxEvent, { id: event!.id }))?.type).toBe(t.emits);
      else expect(event).toBeUndefined();
      const expected = deadlineFor(t.deadline, a, AT, { deadline: '2026-10-12', workdays: 5, problem: null });
      expect([a.deadline, a.deadlineWorkdays]).toEqual([expected.deadline, expected.workdays]);
    }
  });

  test.each(TRANSITIONS.map((t) => [t.action, t] as const))('%s: refused to the wrong state, mode, role and relation, and without each requirement — nothing changes', (_action, t) => {
    const em = db.orm.em.fork();
    const attempt = (a: Application, actor: WorkflowActor, given: Given, action = t.action) => {
      const before = JSON.stringify(a);
      try {
        fire(em, a, action, { actor, at: AT, given });
      } catch (error) {
        expect(JSON.stringify(a)).toBe(before);
        expect(em.getUnitOfWork().getPersistStack().size).toBe(0);
        return (error as { extensions: { code: string; problems?: { field: string }[] } }).extensions;
      }
      throw new Error(`${action} was not refused`);
    };
    const party = t.by[0];
    // Every state it is not fired from (and an existing case for a creating transition).
    for (const status of Object.values(ApplicationStatus).filter((s) => !t.from?.includes(s))) {
      expect(attempt(applicationIn(status, t), ACTOR[party], goodGiven(t)).code).toBe('WRONG_STATE');
    }
    // A mode it does not belong to.
    for (const mode of ['INSTANT', 'COMMITMENT', 'NO_APPLICATION'].filter((m) => !t.modes.includes(m as never))) {
      const a = Object.assign(applicationIn(t.from?.[0] ?? null, t), { mode });
      expect(attempt(a, ACTOR[party], goodGiven(t)).code).toBe('WRONG_STATE');
    }
    // Every role it does not name, and the anonymous.
    for (const role of Object.keys(ACTOR).filter((r) => !t.by.includes(r as Party))) {
      expect(attempt(applicationIn(t.from?.[0] ?? null, t), ACTOR[role], goodGiven(t)).code).toBe('FORBIDDEN');
    }
    expect(attempt(applicationIn(t.from?.[0] ?? null, t), { role: null }, goodGiven(t)).code).toBe('UNAUTHENTICATED');
    // The right role without the relation to the case.
    for (const p of t.by.filter((p) => STRANGER[p])) {
      expect(attempt(applicationIn(t.from?.[0] ?? null, t), STRANGER[p]!, goodGiven(t)).code).toBe('FORBIDDEN');
    }
    // Each requirement unmet: BAD_USER_INPUT naming its field.
    for (const mode of t.modes) {
      for (const r of requirementsOf(t, mode)) {
        const a = Object.assign(applicationIn(t.from?.[0] ?? null, t), { mode });
        const refused = attempt(a, ACTOR[party], { ...goodGiven(t, mode), ...BAD[r] });
        expect(refused.code).toBe('BAD_USER_INPUT');
        expect(refused.problems!.map((p) => p.field)).toContain(REQUIREMENTS[r].field);
      }
    }
  });

  test('a window acts only on cases it took or online ones: another window of the county is refused', () => {
    const accept = TRANSITIONS.find((t) => t.action === 'accept')!;
    const em = db.orm.em.fork();
    const a = Object.assign(applicationIn('SUBMITTED', accept), { intakeDepartment: '360732-EDZ', channel: 'EDZ_WINDOW' });
    expect(() => fire(em, a, 'accept', { actor: ACTOR.WINDOW_CLERK, at: AT, given: goodGiven(accept) })).toThrow('该案件由其他窗口受理');
    expect(() => fire(em, a, 'accept', { actor: { ...ACTOR.WINDOW_CLERK, department: '360732-EDZ' }, at: AT, given: goodGiven(accept) })).not.toThrow();
  });

  test('WRONG_STATE says the state and the step in words', () => {
    const approve = TRANSITIONS.find((t) => t.action === 'approve')!;
    const a = applicationIn('REJECTED', approve);
    expect(() => fire(db.orm.em.fork(), a, 'approve', { actor: ACTOR.DEPARTMENT_SYSTEM, at: AT, given: goodGiven(approve) })).toThrow('案件当前状态为不予兑现，不能审核通过');
  });
});

describe('deadlines in working days on the official calendar', () => {
  const review = { kind: 'REVIEW', instantMax: 5 } as const;
  const at = (iso: string) => new Date(iso);

  test('INSTANT: 5 working days across 国庆节 2026, counting the make-up Saturday 10-10', () => {
    // Wed 09-30 is day 1; 10-01…10-07 are holidays; 10-08, 10-09, 10-10 (调休上班), 10-12.
    expect(deadlineFor(review, { mode: 'INSTANT', reviewDays: 5 }, at('2026-09-29T02:00:00Z'), { deadline: null, workdays: null, problem: null })).toEqual({ deadline: '2026-10-12', workdays: 5, problem: null });
    // A guide of more than 5 days is held to 5 for INSTANT; COMMITMENT takes its own.
    expect(deadlineFor(review, { mode: 'INSTANT', reviewDays: 15 }, at('2026-09-29T02:00:00Z'), { deadline: null, workdays: null, problem: null }).deadline).toBe('2026-10-12');
    expect(deadlineFor(review, { mode: 'COMMITMENT', reviewDays: 15 }, at('2026-09-29T02:00:00Z'), { deadline: null, workdays: null, problem: null })).toEqual({ deadline: '2026-10-26', workdays: 15, problem: null });
  });

  test('春节 2026: the make-up Saturdays 02-14 and 02-28 count, 02-15…02-23 do not', () => {
    // Fri 02-13: 02-14 (调休) 1, 02-24 2, 02-25 3, 02-26 4, 02-27 5.
    expect(workdayDeadline(at('2026-02-13T02:00:00Z'), 5).deadline).toBe('2026-02-27');
    // Thu 02-26: 02-27 1, 02-28 (调休 Saturday) 2.
    expect(workdayDeadline(at('2026-02-26T02:00:00Z'), 2).deadline).toBe('2026-02-28');
  });

  test('the China date decides: 23:30 on 09-30 in Beijing is 09-30, not 10-01', () => {
    expect(workdayDeadline(at('2026-09-30T15:30:00Z'), 1).deadline).toBe('2026-10-08');
    expect(workdayDeadline(at('2026-09-30T16:30:00Z'), 1).deadline).toBe('2026-10-08');
  });

  test('a year whose calendar is not published is flagged, not guessed', () => {
    const flagged = workdayDeadline(at('2026-12-30T02:00:00Z'), 2);
    expect(flagged.deadline).toBeNull();
    expect(flagged.workdays).toBe(2);
    expect(flagged.problem).toContain('2027');
    // And fire keeps the flag on the case and the step.
    const submit = TRANSITIONS.find((t) => t.action === 'submit')!;
    const a = applicationIn(null, submit);
    return openTestDatabase(applicationsSubgraph, { demo: false }).then(async (db) => {
      try {
        const { step } = fire(db.orm.em.fork(), a, 'submit', { actor: ACTOR.ENTERPRISE, at: at('2026-12-30T02:00:00Z') });
        expect([a.deadline, a.deadlineWorkdays, a.deadlineProblem]).toEqual([null, 2, flagged.problem]);
        expect(step.details).toEqual({ deadlineProblem: flagged.problem });
      } finally {
        await db.close();
      }
    });
  });
});

test('docs/workflows.md is what the workflow table says (npm run workflows)', () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'workflows.md'), 'utf8');
  expect(committed).toBe(workflowsDocument());
});
