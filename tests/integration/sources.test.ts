import { findSubgraph } from '../../subgraphs/registry';
import { describeDb } from '../support/db';
import { postGraphql, startTestGraph, type TestGraph } from '../support/graph';

/**
 * The joint-audit sources through the gateway: each source's field group and its uniform findings
 * field for a demo enterprise with findings and one without, the demo data's consistency with the
 * register, and batching (findings of 1,000 enterprises cost a constant number of statements).
 */
const FINDING = 'source category severity occurredOn endsOn reference reason recordedAt';
const FINDINGS = `source department answeredAt asOf findings { ${FINDING} }`;

interface SourceCase {
  name: string;
  field: string; // Enterprise.<field>Findings and the group Enterprise.<field>
  group: string; // selection of the field group
  /** What the group says when the enterprise has findings / has none. */
  checkGroup(group: any, hasFindings: boolean): void;
}

const ALL_CASES: SourceCase[] = [
  {
    name: 'credit',
    field: 'credit',
    group: 'publicCreditRating ratedOn onDishonestyList dishonestyEntries { reference occurredOn endsOn reason decidedBy } records { kind grade reference source recordedAt } asOf',
    checkGroup(group, hasFindings) {
      if (!hasFindings) {
        expect(['A', 'B', null]).toContain(group.publicCreditRating);
        expect(group.onDishonestyList).toBe(false);
        expect(group.dishonestyEntries).toEqual([]);
      } else expect(group.dishonestyEntries.length > 0 || ['C', 'D'].includes(group.publicCreditRating)).toBe(true);
      for (const r of group.records) expect(r.source).toBe('credit');
    },
  },
  {
    name: 'ecology',
    field: 'ecology',
    group: 'records { reference occurredOn endsOn violation penalty amountFen source recordedAt regionCode } inEffect latestOn asOf',
    checkGroup(group, hasFindings) {
      expect(group.records.length > 0).toBe(hasFindings);
      for (const r of group.records) {
        expect(r.source).toBe('ecology');
        expect(Number.isSafeInteger(r.amountFen)).toBe(true);
        expect(r.reference).toMatch(/环罚〔20\d\d〕\d+号$/);
      }
    },
  },
  {
    name: 'statistics',
    field: 'statistics',
    group: 'aboveScale aboveScaleSince employees latestYear outputValueFen years { year employees outputValueFen aboveScale reference } violations { reference occurredOn } asOf',
    checkGroup(group, hasFindings) {
      if (!hasFindings) expect(group.violations).toEqual([]);
      else expect(group.violations.length).toBeGreaterThan(0);
      if (group.aboveScale) expect(group.aboveScaleSince).toBeLessThanOrEqual(group.latestYear);
    },
  },
  {
    name: 'public-security',
    field: 'publicSecurity',
    group: 'records { reference occurredOn endsOn caseType summary source } inEffect latestOn asOf',
    checkGroup: (group, hasFindings) => expect(group.records.length > 0).toBe(hasFindings),
  },
  {
    name: 'work-safety',
    field: 'workSafety',
    group: 'records { reference occurredOn endsOn kind description fatalities amountFen source } inEffect latestOn asOf',
    checkGroup: (group, hasFindings) => expect(group.records.length > 0).toBe(hasFindings),
  },
  {
    name: 'natural-resources',
    field: 'naturalResources',
    group: 'records { reference occurredOn endsOn violation areaSquareMeters amountFen source } inEffect latestOn asOf',
    checkGroup: (group, hasFindings) => expect(group.records.length > 0).toBe(hasFindings),
  },
  {
    name: 'housing',
    field: 'housing',
    group: 'records { reference occurredOn endsOn violation project amountFen source } inEffect latestOn asOf',
    checkGroup: (group, hasFindings) => expect(group.records.length > 0).toBe(hasFindings),
  },
  {
    name: 'pboc',
    field: 'pboc',
    group: 'verified accounts { accountNumber masked bankName accountType status openedOn closedOn reference } asOf',
    checkGroup(group, hasFindings) {
      expect(group.verified).toBe(!hasFindings);
      for (const a of group.accounts) expect(a.masked).toBe(true); // the auditor reads masked
    },
  },
  {
    name: 'tax',
    field: 'tax',
    group: 'creditRating arrearsFen latestYear revenueFen taxPaidFen years { year revenueFen taxPaidFen reference }',
    checkGroup(group, hasFindings) {
      if (!group) return; // no tax profile: no findings either
      expect(group.creditRating === 'D' || group.arrearsFen > 0).toBe(hasFindings);
      expect(group.years.map((y: any) => y.year)).toEqual([2025, 2024, 2023, 2022, 2021].filter((y) => group.years.some((g: any) => g.year === y)));
    },
  },
];
const CASES = ALL_CASES.filter((c) => findSubgraph(c.name));

describeDb('joint-audit sources, through the gateway', () => {
  let graph: TestGraph;
  let auditor: string;
  /** Every demo enterprise (2,400), with each source's findings. */
  let population: { creditCode: string; regionCode: string; [field: string]: any }[];

  beforeAll(async () => {
    // One query over 100 enterprises with every source's findings is over the default cost.
    graph = await startTestGraph({ env: { QUERY_MAX_COST: '200000', QUERY_MAX_ALIASES: '100' } });
    auditor = await graph.token({ role: 'AUDITOR' });
    population = [];
    let after: string | null = null;
    do {
      const { body }: { body: any } = await graph.query(
        `query($after: String) { enterprises(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { creditCode regionCode ${CASES.map((c) => `${c.field}Findings { findings { category occurredOn } }`).join(' ')} } } }`,
        { after },
        auditor,
      );
      expect(body.errors).toBeUndefined();
      population.push(...body.data.enterprises.nodes);
      after = body.data.enterprises.pageInfo.hasNextPage ? body.data.enterprises.pageInfo.endCursor : null;
    } while (after);
  }, 120_000);
  afterAll(() => graph?.stop());

  test('the sources hold records on the register’s enterprises: a few percent with findings, dated over several years', () => {
    expect(population.length).toBe(2400);
    for (const c of CASES) {
      const withFindings = population.filter((e) => e[`${c.field}Findings`].findings.length > 0);
      const share = withFindings.length / population.length;
      // "A realistic few percent": more than none, far from most (credit ratings C/D and tax D/arrears run higher).
      expect({ source: c.name, share: share > 0.001 && share < 0.2 }).toEqual({ source: c.name, share: true });
      const years = new Set(withFindings.flatMap((e) => e[`${c.field}Findings`].findings.map((f: any) => f.occurredOn.slice(0, 4))));
      if (!['tax'].includes(c.name)) expect({ source: c.name, years: years.size >= 3 }).toEqual({ source: c.name, years: true });
      for (const y of years) expect(Number(y)).toBeGreaterThanOrEqual(2021);
    }
  });

  describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const ask = (creditCode: string, token: string) =>
      graph.query(`query($cc: CreditCode!) { enterprise(creditCode: $cc) { creditCode ${c.field} { ${c.group} } ${c.field}Findings { ${FINDINGS} } } }`, { cc: creditCode }, token);

    test('the field group and the findings of an enterprise with findings and of one without', async () => {
      const withFindings = population.find((e) => e[`${c.field}Findings`].findings.length > 0)!;
      const without = population.find((e) => e[`${c.field}Findings`].findings.length === 0 && e.regionCode === '360732')!;
      for (const [enterprise, has] of [[withFindings, true], [without, false]] as const) {
        const { body } = await ask(enterprise.creditCode, auditor);
        expect(body.errors).toBeUndefined();
        const findings = body.data.enterprise[`${c.field}Findings`];
        expect(findings.source).toBe(c.name);
        expect(findings.department).toMatch(/^(县|人民银行)/);
        expect(new Date(findings.asOf).getTime()).toBeLessThanOrEqual(new Date(findings.answeredAt).getTime());
        expect(findings.findings.length > 0).toBe(has);
        for (const f of findings.findings) {
          expect(f.source).toBe(c.name);
          expect(f.occurredOn).toMatch(/^20\d\d-\d\d-\d\d$/);
          if (f.endsOn) expect(f.endsOn >= f.occurredOn).toBe(true);
          expect(f.reference.length).toBeGreaterThan(3);
          expect(f.reason).toMatch(/[\u4e00-\u9fa5]/);
        }
        c.checkGroup(body.data.enterprise[c.field], has);
      }
    });

    test('findings of 1,000 enterprises cost a constant number of SQL statements', async () => {
      const statements = graph.subgraphs[c.name].db.statements;
      const identity = await graph.signIdentity({ role: 'AUDITOR' }, c.name);
      const countFor = async (n: number) => {
        const before = statements.length;
        const { body } = await postGraphql(
          graph.subgraphs[c.name].http.url,
          {
            query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { ${c.field}Findings { ${FINDINGS} } } } }`,
            variables: { r: population.slice(0, n).map((e) => ({ __typename: 'Enterprise', creditCode: e.creditCode })) },
          },
          { 'x-qinqing-identity': identity },
        );
        expect(body.errors).toBeUndefined();
        expect(body.data._entities).toHaveLength(n);
        return statements.slice(before).filter((s) => /^\s*select/i.test(s)).length;
      };
      const for1000 = await countFor(1000);
      expect(for1000).toBeLessThanOrEqual(1);
      expect(await countFor(10)).toBe(for1000);
    });
  });

  test('a window clerk reads no source; an enterprise reads its own, but not the police’s', async () => {
    const target = population.find((e) => e.regionCode === '360732')!.creditCode;
    const clerk = await graph.token({ role: 'WINDOW_CLERK', region: '360732' });
    const self = await graph.token({ role: 'ENTERPRISE', creditCode: target });
    for (const c of CASES) {
      const q = `query($cc: CreditCode!) { enterprise(creditCode: $cc) { ${c.field}Findings { source } } }`;
      const byClerk = await graph.query(q, { cc: target }, clerk);
      expect(byClerk.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const bySelf = await graph.query(q, { cc: target }, self);
      if (c.name === 'public-security') expect(bySelf.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      else expect({ source: c.name, errors: bySelf.body.errors }).toEqual({ source: c.name, errors: undefined });
    }
  });
});
