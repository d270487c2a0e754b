import { addWorkdays } from '../../subgraphs/kit/calendar';
import { deadlineStanding, stepDurations, superviseOpenCases, type TimelineStep } from '../../subgraphs/applications/supervision';
import { nextActionOf, readJointAudit, SourcesUnavailableError } from '../../subgraphs/applications/joint-audit-outcome';
import { byCodeRegion, confirmationRefusal, entryFates, SkipReason, type Payee, type ScreeningHead } from '../../subgraphs/applications/white-list.rules';

/**
 * 办件督办 arithmetic on the official calendar. The cases below cross 国庆节 2026: 10-01 … 10-07 off,
 * Sat 10-10 a make-up workday. A review accepted on Wed 2026-09-30 with 5 working days is due
 * Tue 10-13 (10-08, 10-09, 10-10, 10-12, 10-13).
 */
describe('deadlineStanding', () => {
  const DEADLINE = addWorkdays('2026-09-30', 5);

  it('the deadline of 5 working days from 2026-09-30 crosses the holiday and counts the make-up Saturday', () => {
    expect(DEADLINE).toBe('2026-10-13');
  });

  it('on the day the review starts nothing is used; through the holiday nothing more is used', () => {
    expect(deadlineStanding(DEADLINE, 5, '2026-09-30')).toMatchObject({ usedWorkdays: 0, remainingWorkdays: 5, near: false, overdue: false });
    expect(deadlineStanding(DEADLINE, 5, '2026-10-07')).toMatchObject({ usedWorkdays: 0, remainingWorkdays: 5, near: false });
  });

  it('the make-up Saturday is a working day used', () => {
    expect(deadlineStanding(DEADLINE, 5, '2026-10-09')).toMatchObject({ usedWorkdays: 2, near: false });
    expect(deadlineStanding(DEADLINE, 5, '2026-10-10')).toMatchObject({ usedWorkdays: 3, shareUsed: 0.6, near: false });
    // Sunday 10-11 is a rest day: still 3 used.
    expect(deadlineStanding(DEADLINE, 5, '2026-10-11')).toMatchObject({ usedWorkdays: 3, near: false });
  });

  it('4 of 5 working days used is 80 %: near its deadline; the deadline day itself too; the day after: overdue', () => {
    expect(deadlineStanding(DEADLINE, 5, '2026-10-12')).toEqual({ usedWorkdays: 4, remainingWorkdays: 1, overdueWorkdays: 0, shareUsed: 0.8, overdue: false, near: true });
    expect(deadlineStanding(DEADLINE, 5, '2026-10-13')).toMatchObject({ usedWorkdays: 5, remainingWorkdays: 0, near: true, overdue: false });
    expect(deadlineStanding(DEADLINE, 5, '2026-10-14')).toEqual({ usedWorkdays: 5, remainingWorkdays: 0, overdueWorkdays: 1, shareUsed: 1, overdue: true, near: false });
  });

  it('past the deadline over a weekend: overdue, with the working days over counted', () => {
    // Due Fri 2026-10-16; Sat 10-17 is past it (overdue) with 0 working days over, Mon 10-19 one.
    expect(deadlineStanding('2026-10-16', 1, '2026-10-17')).toMatchObject({ overdue: true, overdueWorkdays: 0 });
    expect(deadlineStanding('2026-10-16', 1, '2026-10-19')).toMatchObject({ overdue: true, overdueWorkdays: 1 });
  });

  it('a one-working-day payment step: not near the day it starts, near on its deadline', () => {
    const due = addWorkdays('2026-09-30', 1);
    expect(due).toBe('2026-10-08');
    expect(deadlineStanding(due, 1, '2026-09-30').near).toBe(false);
    expect(deadlineStanding(due, 1, '2026-10-08').near).toBe(true);
  });
});

describe('superviseOpenCases', () => {
  it('sorts near and overdue cases; overdue grouped by department, the largest group first', () => {
    const cases = [
      { id: 'a', department: '360732-MIIT', deadline: '2026-10-13', deadlineWorkdays: 5 },
      { id: 'b', department: '360732-HRSS', deadline: '2026-10-09', deadlineWorkdays: 5 },
      { id: 'c', department: '360732-MIIT', deadline: '2026-10-12', deadlineWorkdays: 5 },
      { id: 'd', department: '360732-MIIT', deadline: '2026-10-08', deadlineWorkdays: 1 },
      { id: 'e', department: '360732-SCITECH', deadline: '2026-10-30', deadlineWorkdays: 10 },
    ];
    const { near, overdueByDepartment } = superviseOpenCases(cases, '2026-10-12');
    expect(near.map((c) => c.id)).toEqual(['c', 'a']);
    expect(overdueByDepartment.map((g) => [g.department, g.cases.map((c) => c.id)])).toEqual([
      ['360732-HRSS', ['b']],
      ['360732-MIIT', ['d']],
    ]);
  });
});

describe('stepDurations', () => {
  const at = (iso: string) => new Date(iso);
  const steps: TimelineStep[] = [
    // Case 1: submitted and accepted the same day, reviewed over the holiday, approved 10-12.
    { application: 'x1', seq: 1, toStatus: 'SUBMITTED', at: at('2026-09-30T01:00:00Z') },
    { application: 'x1', seq: 2, toStatus: 'IN_REVIEW', at: at('2026-09-30T03:00:00Z') },
    { application: 'x1', seq: 3, toStatus: 'APPROVED', at: at('2026-10-12T02:00:00Z') },
    { application: 'x1', seq: 4, toStatus: 'JOINT_AUDIT', at: at('2026-10-12T02:00:00Z') },
    { application: 'x1', seq: 5, toStatus: 'AWAITING_PAYMENT', at: at('2026-10-12T02:00:01Z') },
    // Case 2 (COMMITMENT): two evaluations are one EVALUATION state; still awaiting payment is not counted.
    { application: 'x2', seq: 1, toStatus: 'SUBMITTED', at: at('2026-09-29T01:00:00Z') },
    { application: 'x2', seq: 2, toStatus: 'IN_REVIEW', at: at('2026-09-29T02:00:00Z') },
    { application: 'x2', seq: 3, toStatus: 'EVALUATION', at: at('2026-09-30T02:00:00Z') },
    { application: 'x2', seq: 4, toStatus: 'EVALUATION', at: at('2026-10-09T02:00:00Z') },
    { application: 'x2', seq: 5, toStatus: 'APPROVED', at: at('2026-10-13T02:00:00Z') },
  ];
  const departments: Record<string, string> = { x1: '360732-MIIT', x2: '360732-MIIT' };

  it('counts working days per state and department, average and maximum, from the China dates', () => {
    const durations = stepDurations(steps, (id) => departments[id], { from: '2026-01-01', to: '2026-12-31' });
    const byStatus = Object.fromEntries(durations.map((d) => [d.status, d]));
    expect(byStatus.SUBMITTED).toMatchObject({ count: 2, averageWorkdays: 0, maxWorkdays: 0 });
    // x1: 09-30 → 10-12 = 4 working days; x2: 09-29 → 09-30 = 1.
    expect(byStatus.IN_REVIEW).toMatchObject({ count: 2, averageWorkdays: 2.5, maxWorkdays: 4, slowestApplication: 'x1' });
    // x2: 09-30 → 10-13 = 5 working days (10-08, 10-09, 10-10, 10-12, 10-13), the second evaluation not a new state.
    expect(byStatus.EVALUATION).toMatchObject({ count: 1, averageWorkdays: 5, maxWorkdays: 5 });
    expect(byStatus.APPROVED).toMatchObject({ count: 1, maxWorkdays: 0 });
    expect(byStatus.AWAITING_PAYMENT).toBeUndefined();
  });

  it('only states left within the period are counted', () => {
    const durations = stepDurations(steps, (id) => departments[id], { from: '2026-10-10', to: '2026-10-12' });
    expect(durations.map((d) => [d.status, d.count])).toEqual([
      ['APPROVED', 1],
      ['IN_REVIEW', 1],
      ['JOINT_AUDIT', 1],
    ]);
  });
});

describe('the joint audit answer', () => {
  const audit = (over: Record<string, unknown> = {}) => ({
    enterprise: {
      jointAudit: {
        verdict: 'HOLD',
        asOf: '2026-10-31',
        reasons: ['暂缓：县生态环境局 兴环罚〔2025〕35号'],
        rulesAreDefault: true,
        findings: [{ source: 'ecology', department: '县生态环境局', category: 'ENVIRONMENTAL_PENALTY', severity: 'SERIOUS', occurredOn: '2025-12-31', endsOn: null, inEffect: true, reference: '兴环罚〔2025〕35号', reason: '超标排放', effect: 'HOLD' }],
        sources: [{ source: 'ecology', department: '县生态环境局', status: 'ANSWERED', answeredAt: '2026-10-31T00:00:00Z', asOf: '2026-10-30T00:00:00Z' }],
        ...over,
      },
    },
  });

  it('HOLD holds, PASS and WARN clear', () => {
    expect(nextActionOf(readJointAudit(audit() as never).verdict)).toBe('hold');
    expect(nextActionOf(readJointAudit(audit({ verdict: 'WARN' }) as never).verdict)).toBe('clear');
    expect(nextActionOf(readJointAudit(audit({ verdict: 'PASS', findings: [] }) as never).verdict)).toBe('clear');
  });

  it('keeps the findings and reasons as the case shows them', () => {
    const kept = readJointAudit(audit() as never);
    expect(kept.reasons).toEqual(['暂缓：县生态环境局 兴环罚〔2025〕35号']);
    expect(kept.findings[0]).toMatchObject({ source: 'ecology', reference: '兴环罚〔2025〕35号', effect: 'HOLD', inEffect: true });
  });

  it('a source not checked is no verdict about the enterprise: retried, never held or cleared', () => {
    const down = audit({ sources: [{ source: 'tax', department: '县税务局', status: 'UNAVAILABLE', answeredAt: null, asOf: null }] });
    expect(() => readJointAudit(down as never)).toThrow(SourcesUnavailableError);
    expect(() => readJointAudit({ enterprise: null })).toThrow(/not in the register/);
    expect(() => readJointAudit({ enterprise: { jointAudit: null } })).toThrow(/no verdict/);
  });
});

describe('免申即享 confirmation rules', () => {
  const head = (over: Partial<ScreeningHead['policy']> = {}, version = 2): ScreeningHead => ({
    id: '0b7c6a7e-1f2d-4c3b-9a8e-7d6c5b4a3f21',
    digest: 'a'.repeat(64),
    version,
    regionCode: '360732',
    evaluatedOn: '2026-09-30',
    eligibleCount: 3,
    policy: { id: 'XG-2099-901', title: 't', mode: 'NO_APPLICATION', department: '360732-MIIT', status: 'PUBLISHED', current: { number: 2, title: 't', reviewDays: 5, windowStart: null }, ...over },
  });
  const miit = { role: 'DEPARTMENT_REVIEWER' as const, department: '360732-MIIT', region: '360732' };
  const refusal = (h: ScreeningHead, digest = 'a'.repeat(64), identity: typeof miit = miit) => {
    const e = confirmationRefusal(h, digest, identity);
    return e && { code: e.extensions.code, problems: (e.extensions.problems as { field: string }[] | undefined)?.map((p) => p.field), message: e.message };
  };

  it('the policy\'s department, a NO_APPLICATION policy, published, the served version, the same digest — in that order', () => {
    expect(refusal(head())).toBeUndefined();
    // Another department is told FORBIDDEN before anything about the list (even a wrong digest).
    expect(refusal(head(), 'b'.repeat(64), { ...miit, department: '360732-SCITECH' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(refusal(head({ mode: 'INSTANT' }))).toMatchObject({ code: 'BAD_USER_INPUT', problems: ['screeningId'], message: expect.stringContaining('即申即享') });
    expect(refusal(head({ status: 'SUSPENDED' }))).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('已暂停') });
    expect(refusal(head({ current: { number: 3, title: 't', reviewDays: 5, windowStart: null } }))).toMatchObject({ message: expect.stringContaining('现行为第 3 版') });
    expect(refusal(head(), 'b'.repeat(64))).toMatchObject({ code: 'BAD_USER_INPUT', problems: ['digest'] });
  });

  it('each entry: a case, already there, or skipped with a reason', () => {
    const payee = (creditCode: string, accountNumber = '6228480000000001'): Payee => ({ creditCode, name: 'n', regionCode: '360732', bankAccount: { bankName: 'b', accountNumber, masked: false } });
    const fates = entryFates(
      [
        { creditCode: 'A', amountFen: 100, amountText: '' },
        { creditCode: 'B', amountFen: 100, amountText: '' },
        { creditCode: 'C', amountFen: null, amountText: '' },
        { creditCode: 'D', amountFen: 0, amountText: '' },
        { creditCode: 'E', amountFen: 100, amountText: '' },
        { creditCode: 'F', amountFen: 100, amountText: '' },
      ],
      new Set(['B']),
      new Map([['A', payee('A')], ['B', payee('B')], ['F', payee('F', '6228****0001')]]),
    );
    expect(fates.map((f) => [f.entry.creditCode, f.kind, f.kind === 'skip' ? f.reason : ''])).toEqual([
      ['A', 'create', ''],
      ['B', 'already', ''],
      ['C', 'skip', SkipReason.NO_AMOUNT],
      ['D', 'skip', SkipReason.NO_AMOUNT],
      ['E', 'skip', SkipReason.NOT_REGISTERED],
      ['F', 'skip', SkipReason.NO_ACCOUNT],
    ]);
  });

  it('credit codes grouped by the county in positions 3–8 (each county\'s payer reads its own)', () => {
    expect([...byCodeRegion(['91360732MA35G8KX15', '91360731MA35G8KX15', '913607325556285396'])]).toEqual([
      ['360732', ['91360732MA35G8KX15', '913607325556285396']],
      ['360731', ['91360731MA35G8KX15']],
    ]);
  });
});
