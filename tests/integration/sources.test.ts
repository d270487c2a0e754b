import { OutboxEvent } from '../../subgraphs/kit/events/entities';
import type { AccessReadPayload } from '../../subgraphs/kit/events/types';
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
    // Generous deadlines (tax's test default is short, for the hung-subgraph test): a loaded machine must not fail these.
    graph = await startTestGraph({ env: { QUERY_MAX_COST: '200000', QUERY_MAX_ALIASES: '100', SUBGRAPH_TIMEOUT_MS: '30000', SUBGRAPH_TAX_TIMEOUT_MS: '30000' } });
    auditor = await graph.token({ role: 'AUDITOR' });
    population = [];
    let after: string | null = null;
    do {
      const { body }: { body: any } = await graph.query(
        `query($after: String) { enterprises(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { creditCode regionCode registeredOn scale tags statistics { aboveScale aboveScaleSince employees } tax { revenueFen taxPaidFen } ${CASES.map((c) => `${c.field}Findings { findings { category occurredOn } }`).join(' ')} } } }`,
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

  test('indicators agree with the register: 规上 as tagged, since its registration or later; revenue by scale', () => {
    const reported = population.filter((e) => e.registeredOn < '2026-01-01');
    for (const e of reported) {
      const tagged = e.tags.includes('ABOVE_SCALE');
      expect({ cc: e.creditCode, aboveScale: e.statistics.aboveScale }).toEqual({ cc: e.creditCode, aboveScale: tagged });
      if (tagged) {
        expect(e.statistics.aboveScaleSince).toBeGreaterThanOrEqual(Number(e.registeredOn.slice(0, 4)));
        expect(e.statistics.aboveScaleSince).toBeLessThanOrEqual(2025);
        // 规模以上: at least ¥20 million of revenue.
        if (e.tax) expect(e.tax.revenueFen).toBeGreaterThanOrEqual(2_000_000_000);
      } else expect(e.statistics.aboveScaleSince).toBeNull();
      if (e.tax) expect(e.tax.taxPaidFen).toBeLessThan(e.tax.revenueFen * 0.1);
    }
    expect(reported.filter((e) => e.statistics.aboveScaleSince && e.statistics.aboveScaleSince < 2021).length).toBeGreaterThan(0);
    const median = (scale: string) => {
      const r = reported.filter((e) => e.scale === scale && e.tax).map((e) => e.tax.revenueFen).sort((a, b) => a - b);
      return r[Math.floor(r.length / 2)];
    };
    expect(median('MICRO')).toBeLessThan(median('SMALL'));
    expect(median('SMALL')).toBeLessThan(median('MEDIUM'));
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

  describe('access events (X-Road style): a read by another department is logged, the owner’s own and the enterprise’s are not', () => {
    const accessEvents = async (subgraph: string, requestId: string) =>
      (await graph.subgraphs[subgraph].db.orm.em.fork().find(OutboxEvent, { family: 'access' }, { orderBy: { seq: 'asc' } }))
        .filter((e) => e.requestId === requestId)
        .map((e) => e.payload as unknown as AccessReadPayload);
    const q = 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { ecology { inEffect } ecologyFindings { source } } }';

    test('the auditor and the tax bureau reading ecology records: one event per field, with the purpose', async () => {
      const target = population.find((e) => e.regionCode === '360732')!.creditCode;
      const purpose = encodeURIComponent('联合审核：案件 XG-2026-007');
      await graph.query(q, { cc: target }, auditor, { 'x-request-id': 'src-access-1', 'x-qinqing-purpose': purpose });
      const events = await accessEvents('ecology', 'src-access-1');
      expect(events.map((e) => e.what).sort()).toEqual(['Enterprise.ecology', 'Enterprise.ecologyFindings']);
      for (const e of events) {
        expect(e).toMatchObject({ subgraph: 'ecology', ownerDepartment: 'ENV', enterprises: [target], unmasked: [], purpose: '联合审核：案件 XG-2026-007' });
        expect(e.actor.role).toBe('AUDITOR');
      }
      const taxReviewer = await graph.token({ role: 'DEPARTMENT_REVIEWER', department: '360732-TAX', region: '360732' });
      await graph.query(q, { cc: target }, taxReviewer, { 'x-request-id': 'src-access-2' });
      expect((await accessEvents('ecology', 'src-access-2')).map((e) => e.actor.department)).toEqual(['360732-TAX', '360732-TAX']);
    });

    test('the ecology bureau’s own staff and the enterprise itself: no event', async () => {
      const target = population.find((e) => e.regionCode === '360732')!.creditCode;
      const own = await graph.token({ role: 'DEPARTMENT_REVIEWER', department: '360732-ENV', region: '360732' });
      const self = await graph.token({ role: 'ENTERPRISE', creditCode: target });
      for (const [token, id] of [[own, 'src-access-own'], [self, 'src-access-self']] as const) {
        const { body } = await graph.query(q, { cc: target }, token, { 'x-request-id': id });
        expect(body.errors).toBeUndefined();
        expect(await accessEvents('ecology', id)).toEqual([]);
      }
    });

    test('a list is a read too: taxpayers by the auditor names the page, by the tax bureau nothing', async () => {
      const { body } = await graph.query('{ taxpayers(first: 20) { nodes { creditCode } } }', undefined, auditor, { 'x-request-id': 'src-access-list' });
      const [event] = await accessEvents('tax', 'src-access-list');
      expect(event).toMatchObject({ what: 'Query.taxpayers', ownerDepartment: 'TAX' });
      expect(event.enterprises).toEqual(body.data.taxpayers.nodes.map((n: any) => n.creditCode).sort());
      const taxSystem = await graph.token({ role: 'DEPARTMENT_SYSTEM', department: '360732-TAX', region: '360732' });
      await graph.query('{ taxpayers(first: 20) { nodes { creditCode } } }', undefined, taxSystem, { 'x-request-id': 'src-access-list-own' });
      expect(await accessEvents('tax', 'src-access-list-own')).toEqual([]);
    });

    test('findings of 100 enterprises in one request: one event naming all of them', async () => {
      await graph.query('{ enterprises(first: 100) { nodes { creditCode housingFindings { source } } } }', undefined, auditor, { 'x-request-id': 'src-access-bulk' });
      const events = await accessEvents('housing', 'src-access-bulk');
      expect(events).toHaveLength(1);
      expect(events[0].enterprises).toHaveLength(100);
    });
  });

  describe('pboc: account numbers by role, and verifyBankAccount', () => {
    const accountsQuery = 'query($cc: CreditCode!) { enterprise(creditCode: $cc) { pboc { verified accounts { accountNumber masked status accountType bankName } } } }';
    const verify = 'query($cc: CreditCode!, $n: String!) { verifyBankAccount(creditCode: $cc, accountNumber: $n) { creditCode accountNumber exists holderMatches open verified bankName checkedAt } }';
    let payer: string;
    let open: { creditCode: string; accountNumber: string; bankName: string };
    let notVerified: { creditCode: string; accountNumber?: string };
    beforeAll(async () => {
      payer = await graph.token({ role: 'APPROVAL_BUREAU', region: '360732' });
      const xingguo = population.filter((e) => e.regionCode === '360732');
      const okCode = xingguo.find((e) => e.pbocFindings.findings.length === 0)!.creditCode;
      const okAccounts = (await graph.query(accountsQuery, { cc: okCode }, payer)).body.data.enterprise.pboc.accounts;
      const basic = okAccounts.find((a: any) => a.status === 'OPEN');
      open = { creditCode: okCode, accountNumber: basic.accountNumber, bankName: basic.bankName };
      const badCode = xingguo.find((e) => e.pbocFindings.findings.length > 0)!.creditCode;
      const badAccounts = (await graph.query(accountsQuery, { cc: badCode }, payer)).body.data.enterprise.pboc.accounts;
      notVerified = { creditCode: badCode, accountNumber: badAccounts[0]?.accountNumber };
    });

    test('the payer reads whole numbers (logged as unmasked), the auditor masked ones', async () => {
      const clear = await graph.query(accountsQuery, { cc: open.creditCode }, payer, { 'x-request-id': 'src-pboc-clear' });
      expect(clear.body.data.enterprise.pboc.accounts[0]).toMatchObject({ masked: false, accountNumber: expect.stringMatching(/^\d{16,19}$/) });
      const [event] = (await graph.subgraphs.pboc.db.orm.em.fork().find(OutboxEvent, { family: 'access', requestId: 'src-pboc-clear' })).map((e) => e.payload as unknown as AccessReadPayload);
      expect(event).toMatchObject({ what: 'Enterprise.pboc', enterprises: [open.creditCode], unmasked: ['pboc.accounts.accountNumber'] });
      const masked = await graph.query(accountsQuery, { cc: open.creditCode }, auditor);
      expect(masked.body.data.enterprise.pboc.accounts[0]).toMatchObject({ masked: true, accountNumber: expect.stringMatching(/^\d{4}\*+\d{4}$/) });
    });

    test('verifyBankAccount: the holder’s open account, an account of someone else, an unknown number, a not-open one', async () => {
      const ok = await graph.query(verify, { cc: open.creditCode, n: open.accountNumber }, payer);
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data.verifyBankAccount).toMatchObject({ creditCode: open.creditCode, exists: true, holderMatches: true, open: true, verified: true, bankName: open.bankName });
      expect(ok.body.data.verifyBankAccount.accountNumber).toMatch(/^\d{4}\*+\d{4}$/);

      const other = population.find((e) => e.regionCode === '360732' && e.creditCode !== open.creditCode)!.creditCode;
      const elsewhere = await graph.query(verify, { cc: other, n: open.accountNumber }, payer);
      expect(elsewhere.body.data.verifyBankAccount).toMatchObject({ exists: true, holderMatches: false, open: false, verified: false, bankName: null });

      const unknown = await graph.query(verify, { cc: open.creditCode, n: '6228000000000000001' }, payer);
      expect(unknown.body.data.verifyBankAccount).toMatchObject({ exists: false, holderMatches: false, open: false, verified: false });

      if (notVerified.accountNumber) {
        const closed = await graph.query(verify, { cc: notVerified.creditCode, n: notVerified.accountNumber }, payer);
        expect(closed.body.data.verifyBankAccount).toMatchObject({ exists: true, holderMatches: true, open: false, verified: false });
      }
    });

    test('verifyBankAccount refuses bad input before any SQL, with a clear code', async () => {
      const statements = graph.subgraphs.pboc.db.statements;
      const before = statements.length;
      const letters = await graph.query(verify, { cc: open.creditCode, n: '6228ABCD0000' }, payer);
      expect(letters.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(letters.body.errors[0].message).toMatch(/银行账号/);
      const short = await graph.query(verify, { cc: open.creditCode, n: '1234' }, payer);
      expect(short.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const wrongCode = await graph.query(verify, { cc: open.creditCode.slice(0, 17) + (open.creditCode[17] === '0' ? '1' : '0'), n: open.accountNumber }, payer);
      expect(wrongCode.body.errors[0].extensions.code).toBe('INVALID_CREDIT_CODE');
      expect(statements.length).toBe(before);
      const clerk = await graph.token({ role: 'WINDOW_CLERK', region: '360732' });
      expect((await graph.query(verify, { cc: open.creditCode, n: open.accountNumber }, clerk)).body.errors[0].extensions.code).toBe('FORBIDDEN');
      const outside = await graph.token({ role: 'APPROVAL_BUREAU', region: '360731' });
      expect((await graph.query(verify, { cc: open.creditCode, n: open.accountNumber }, outside)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    });
  });
});
