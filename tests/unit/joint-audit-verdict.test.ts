import fc from 'fast-check';
import { FindingCategory as C, FindingSeverity } from '../../subgraphs/kit/findings';
import { DEFAULT_RULES, ruleProblems, type AuditRule } from '../../subgraphs/joint-audit/rules';
import { AUDIT_SOURCES, REQUIRED_FIELDS } from '../../subgraphs/joint-audit/sources';
import { decide as decideWith, monthsBefore, type FindingInput, type SourceFindingsInput } from '../../subgraphs/joint-audit/verdict';

/** The verdict as a pure function: hand-worked cases on the default rules, then properties. */

const AS_OF = '2026-11-26';
const SOURCES = AUDIT_SOURCES;
const decide = (answers: Parameters<typeof decideWith>[0], rules: readonly AuditRule[], asOf: string) => decideWith(answers, rules, asOf, SOURCES);
const answered = (source: string, findings: Partial<FindingInput>[] = []): SourceFindingsInput => {
  const s = SOURCES.find((x) => x.name === source)!;
  return {
    source,
    department: s.department,
    answeredAt: '2026-11-26T01:00:00.000Z',
    asOf: '2026-11-25T16:00:00.000Z',
    findings: findings.map((f) => ({
      source,
      category: s.categories[0],
      severity: FindingSeverity.SERIOUS,
      occurredOn: '2026-01-01',
      endsOn: null,
      reference: `${source}〔2026〕1号`,
      reason: '一条记录',
      recordedAt: '2026-11-25T16:00:00.000Z',
      ...f,
    })),
  };
};
const allClean = () => Object.fromEntries(SOURCES.map((s) => [s.field, answered(s.name)]));

describe('decide (default rules)', () => {
  it('PASS when every source answered with nothing', () => {
    const v = decide(allClean(), DEFAULT_RULES, AS_OF);
    expect(v.verdict).toBe('PASS');
    expect(v.findings).toEqual([]);
    expect(v.sources.every((s) => s.status === 'ANSWERED')).toBe(true);
    expect(v.reasons).toEqual([`9 个数据来源均已核查，截至 2026-11-26 未发现影响兑现的记录`]);
  });

  it('an environmental penalty 20 months ago (rectified) is WARN by the 36-month rule, not HOLD', () => {
    const answers = { ...allClean(), ecologyFindings: answered('ecology', [{ occurredOn: '2025-03-10', endsOn: '2025-06-01', reference: '兴环罚〔2025〕12号', reason: '超标排放废水，罚款五万元' }]) };
    const v = decide(answers, DEFAULT_RULES, AS_OF);
    expect(v.verdict).toBe('WARN');
    expect(v.findings).toHaveLength(1);
    expect(v.findings[0]).toMatchObject({ effect: 'WARN', inEffect: false, department: '县生态环境局', rule: { withinMonths: 36, effect: 'WARN' } });
    expect(v.reasons).toEqual([
      '提示：县生态环境局 超标排放废水，罚款五万元（兴环罚〔2025〕12号，2025-03-10，已于 2025-06-01 解除或整改）。依据规则：县生态环境局：近 36 个月内环境行政处罚 → 提示',
    ]);
  });

  it('the same penalty 6 months ago is HOLD (the stronger rule wins)', () => {
    const answers = { ...allClean(), ecologyFindings: answered('ecology', [{ occurredOn: '2026-05-26', endsOn: '2026-07-01' }]) };
    const v = decide(answers, DEFAULT_RULES, AS_OF);
    expect(v.verdict).toBe('HOLD');
    expect(v.findings[0].rule).toMatchObject({ withinMonths: 12, effect: 'HOLD' });
  });

  it('within N months: after the same day N months before asOf', () => {
    expect(monthsBefore('2026-11-26', 12)).toBe('2025-11-26');
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2024-03-31', 1)).toBe('2024-02-29');
    expect(monthsBefore('2026-01-15', 13)).toBe('2024-12-15');
    const on = (occurredOn: string) => decide({ ...allClean(), ecologyFindings: answered('ecology', [{ occurredOn }]) }, DEFAULT_RULES, AS_OF).verdict;
    expect(on('2025-11-26')).toBe('WARN'); // exactly 12 months: the 36-month rule only
    expect(on('2025-11-27')).toBe('HOLD');
    expect(on('2023-11-26')).toBe('PASS'); // listed as INFO
  });

  it('a lifted dishonesty listing is INFO; one in effect (or lifted only on asOf) is HOLD', () => {
    const listing = (endsOn: string | null) =>
      decide({ ...allClean(), creditFindings: answered('credit', [{ category: C.SERIOUS_DISHONESTY, occurredOn: '2022-01-01', endsOn }]) }, DEFAULT_RULES, AS_OF);
    expect(listing('2024-01-01')).toMatchObject({ verdict: 'PASS', findings: [{ effect: 'INFO', rule: null, inEffect: false }] });
    expect(listing(null).verdict).toBe('HOLD');
    expect(listing(AS_OF).verdict).toBe('HOLD');
  });

  it('a finding dated after asOf did not exist yet', () => {
    const v = decide({ ...allClean(), taxFindings: answered('tax', [{ category: C.TAX_ARREARS, occurredOn: '2026-11-27' }]) }, DEFAULT_RULES, AS_OF);
    expect(v).toMatchObject({ verdict: 'PASS', findings: [] });
  });

  it('a source that did not answer (null) is UNAVAILABLE and the verdict HOLD, naming it; the others still count', () => {
    const answers = { ...allClean(), ecologyFindings: null, taxFindings: answered('tax', [{ category: C.TAX_CREDIT_D, reason: '2025 年度纳税信用 D 级' }]) };
    const v = decide(answers, DEFAULT_RULES, AS_OF);
    expect(v.verdict).toBe('HOLD');
    expect(v.sources.find((s) => s.source === 'ecology')).toEqual({ source: 'ecology', department: '县生态环境局', status: 'UNAVAILABLE', answeredAt: null, asOf: null });
    expect(v.sources.find((s) => s.source === 'tax')).toMatchObject({ status: 'ANSWERED', answeredAt: new Date('2026-11-26T01:00:00.000Z') });
    expect(v.reasons[0]).toMatch(/^无法核查：县生态环境局 未响应/);
    expect(v.reasons[1]).toMatch(/^暂缓：县税务局 2025 年度纳税信用 D 级/);
  });

  it('per-policy rules change the verdict', () => {
    const answers = { ...allClean(), workSafetyFindings: answered('work-safety', [{ category: C.SAFETY_VIOLATION, occurredOn: '2026-10-01' }]) };
    expect(decide(answers, DEFAULT_RULES, AS_OF).verdict).toBe('WARN');
    const strict: AuditRule[] = [{ source: 'work-safety', category: C.SAFETY_VIOLATION, withinMonths: 24, activeOnly: false, effect: 'HOLD' }];
    expect(decide(answers, strict, AS_OF).verdict).toBe('HOLD');
    expect(decide(answers, [{ ...strict[0], category: C.SAFETY_ACCIDENT }], AS_OF).verdict).toBe('PASS');
  });
});

describe('rule validation', () => {
  it('the defaults are valid', () => expect(ruleProblems(DEFAULT_RULES)).toEqual([]));
  it('lists every problem at once', () => {
    const problems = ruleProblems([
      { source: 'weather', category: C.GANG_RELATED, withinMonths: 0, activeOnly: false, effect: 'HOLD' },
      { source: 'ecology', category: C.TAX_ARREARS, withinMonths: 121, activeOnly: false, effect: 'WARN' },
      { source: 'tax', category: C.TAX_ARREARS, withinMonths: null, activeOnly: true, effect: 'HOLD' },
      { source: 'tax', category: C.TAX_ARREARS, withinMonths: null, activeOnly: true, effect: 'WARN' },
    ]);
    expect(problems.map((p) => p.field)).toEqual(['rules.0.source', 'rules.0.withinMonths', 'rules.1.category', 'rules.1.withinMonths', 'rules.3']);
  });
});

describe('the @requires field set', () => {
  it('names every source once, with every field', () => {
    for (const s of AUDIT_SOURCES) expect(REQUIRED_FIELDS).toContain(`${s.field} { answeredAt asOf findings { category severity occurredOn endsOn reference reason recordedAt } }`);
    expect(AUDIT_SOURCES.map((s) => s.field)).toEqual([
      'creditFindings', 'taxFindings', 'statisticsFindings', 'publicSecurityFindings', 'ecologyFindings',
      'workSafetyFindings', 'naturalResourcesFindings', 'housingFindings', 'pbocFindings',
    ]);
  });
});

describe('properties', () => {
  const finding = fc.record({
    source: fc.constantFrom(...SOURCES.map((s) => s.name)),
    occurredOn: fc.date({ min: new Date('2015-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    ended: fc.option(fc.integer({ min: 0, max: 2000 })),
  });
  it('never PASS with a source missing; PASS only if every finding is INFO; HOLD iff a HOLD finding or a missing source', () => {
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 12 }), fc.subarray(SOURCES.map((s) => s.field)), (raw, missing) => {
        const answers: Record<string, SourceFindingsInput | null> = allClean();
        for (const f of raw) {
          const s = SOURCES.find((x) => x.name === f.source)!;
          const endsOn = f.ended === null ? null : new Date(Date.parse(f.occurredOn) + f.ended * 864e5).toISOString().slice(0, 10);
          answers[s.field]!.findings.push({ ...answered(s.name, [{ occurredOn: f.occurredOn, endsOn }]).findings[0] });
        }
        for (const field of missing) answers[field] = null;
        const v = decide(answers, DEFAULT_RULES, AS_OF);
        if (missing.length) expect(v.verdict).toBe('HOLD');
        expect(v.verdict === 'PASS').toBe(!missing.length && v.findings.every((f) => f.effect === 'INFO'));
        expect(v.verdict === 'HOLD').toBe(missing.length > 0 || v.findings.some((f) => f.effect === 'HOLD'));
        expect(v.findings.every((f) => f.occurredOn <= AS_OF)).toBe(true);
      }),
    );
  });
});
