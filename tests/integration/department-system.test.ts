import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CASE_IDS, seedDemoCases, startDepartmentSystem } from '../../examples/department-system';
import type { CaseRow } from '../../examples/department-system/store';
import { makeCreditCode } from '../../platform/credit-code';
import { IDENTITY_HEADER, type Identity } from '../../platform/identity';
import { main as conformanceCli, parseArguments, runConformance, type ConformanceReport } from '../../scripts/conformance';
import { startCarelessSubgraph } from '../fixtures/careless-department/server';
import { describeDb } from '../support/db';
import { eventually } from '../support/events';
import { postGraphql, startTestGraph, TEST_KEYS, type TestGraph } from '../support/graph';

/**
 * 前店后厂 from the department's side: the written contract (docs/department-contract.md) as a test
 * any department's subgraph runs against itself (`npm run conformance`), and 县人社局's own system
 * (examples/department-system: @apollo/subgraph + plain SQL + jose, not the kit) joined to the graph
 * as the external subgraph `hrss`. Driver-independent: SQLite only.
 */

const failed = (report: ConformanceReport) => report.results.filter((r) => r.status === 'fail').map((r) => `${r.group}: ${r.message}`);
const groupsOf = (report: ConformanceReport, status: 'pass' | 'fail' | 'skip') => [...new Set(report.results.filter((r) => r.status === status).map((r) => r.group))].sort();

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Application { id employmentReview { conclusion amountFen decisionId } } } }';

let serial = 0;
/** A case as the worker stores what it pulled (the department's own table). */
function caseRow(department: string, creditCode: string, id = `a0000000-0000-4000-8000-${String(++serial).padStart(12, '0')}`): CaseRow {
  return {
    application_id: id,
    department,
    region_code: department.slice(0, 6),
    receipt_number: `${department.slice(0, 6)}-20261126-${String(serial).padStart(6, '0')}`,
    credit_code: creditCode,
    enterprise_name: `测试第${serial}号就业有限公司`,
    policy_id: 'XG-2026-TEST',
    policy_title: '企业吸纳就业补贴（测试）',
    deadline: '2026-12-03',
    received_at: new Date().toISOString(),
  };
}

const codeOf = (n: number, region = '360732') => makeCreditCode({ authority: '9', entityType: '1', regionCode: region, orgBody8: `HR${String(n).padStart(6, '0')}` });

describeDb('department systems: the contract, the conformance test, 县人社局’s own system', () => {
  let graph: TestGraph;
  let careless: Awaited<ReturnType<typeof startCarelessSubgraph>>;
  let dir: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qinqing-department-'));
    // Intake checks the policy's application window (2026) against this clock.
    graph = await startTestGraph({ now: () => new Date('2026-11-26T02:00:00Z') });
    careless = await startCarelessSubgraph({ known: ['a1', 'a2'] });
    const claims = {
      hrssReviewer: { role: 'DEPARTMENT_REVIEWER', department: '360732-HRSS', region: '360732' },
      hrssSystem: { role: 'DEPARTMENT_SYSTEM', department: '360732-HRSS', region: '360732' },
      yuduReviewer: { role: 'DEPARTMENT_REVIEWER', department: '360731-HRSS', region: '360731' },
      taxReviewer: { role: 'DEPARTMENT_REVIEWER', department: '360732-TAX', region: '360732' },
      clerk: { role: 'WINDOW_CLERK', region: '360732' },
      auditor: { role: 'AUDITOR' },
    };
    for (const [name, c] of Object.entries(claims)) tokens[name] = await graph.token(c);
  });
  afterAll(async () => {
    await careless?.stop();
    await graph?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('the conformance test', () => {
    test('县人社局’s own system passes every check, its known cases answered in order among unknown ones', async () => {
      seedDemoCases(graph.departmentSystem.store);
      const report = await runConformance({ url: graph.departmentSystem.url, name: 'hrss', privateKey: TEST_KEYS.gatewayPrivateKey, known: DEMO_CASE_IDS });
      expect(failed(report)).toEqual([]);
      expect(report.results.filter((r) => r.status === 'skip')).toEqual([]);
      expect(groupsOf(report, 'pass')).toEqual(['committed', 'compose', 'entities', 'errors', 'identity', 'leaks', 'ready', 'sdl']);
      expect(report.results.find((r) => r.group === 'entities')!.message).toMatch(/^_entities: 7 representations of Application \(4 known, 3 unknown\) in one request → 7 answers in order/);
      expect(report.results.filter((r) => r.group === 'identity' && r.status === 'pass')).toHaveLength(7);
    });

    test('a subgraph built on the kit passes too (enterprises)', async () => {
      const page = await graph.query('{ enterprises(first: 3) { nodes { creditCode } } }', {}, tokens.auditor);
      const known = page.body.data.enterprises.nodes.map((n: { creditCode: string }) => n.creditCode);
      const report = await runConformance({ url: graph.subgraphs.enterprises.http.url, name: 'enterprises', privateKey: TEST_KEYS.gatewayPrivateKey, known, entity: 'Enterprise' });
      expect(failed(report)).toEqual([]);
      expect(report.ok).toBe(true);
    });

    test('a careless subgraph fails, each broken rule named: no identity check, no /ready, uncoded errors, stack traces and SQL in answers', async () => {
      const report = await runConformance({ url: careless.url, name: 'careless', privateKey: TEST_KEYS.gatewayPrivateKey, known: ['a1', 'a2'] });
      expect(report.ok).toBe(false);
      // What it does right still passes: it composes with ours and batches in order.
      expect(groupsOf(report, 'pass')).toEqual(expect.arrayContaining(['sdl', 'compose', 'entities']));
      expect(groupsOf(report, 'fail')).toEqual(['errors', 'identity', 'leaks', 'ready']);
      const identity = report.results.filter((r) => r.group === 'identity');
      expect(identity.map((r) => r.status)).toEqual(Array(7).fill('fail'));
      expect(identity[0].message).toMatch(/^no x-qinqing-identity header → \{ __typename \} → 200/);
      expect(report.results.find((r) => r.message.startsWith('bad arguments'))!.message).toContain('carelessNotes with hostile values → 1 error(s) without a stable code');
      expect(report.results.find((r) => r.group === 'leaks')!.message).toMatch(/carry a stack trace or SQL/);
      // Not in schema/supergraph.yaml: the committed-SDL check says what to do rather than fail.
      expect(report.results.find((r) => r.group === 'committed')).toMatchObject({ status: 'skip', message: expect.stringContaining('schema/subgraphs/careless.graphql') });
    });

    test('checking the identity alone is not enough: a subgraph that verifies the header but crashes on bad input still fails', async () => {
      const { createIdentityVerifier } = await import('../../platform/identity');
      const verify = await createIdentityVerifier({ publicKey: graph.config.gatewayIdentity.publicKey }, 'careless');
      const halfway = await startCarelessSubgraph({ known: ['a1'], checkIdentity: (header) => verify(header).then(() => true, () => false) });
      try {
        const report = await runConformance({ url: halfway.url, name: 'careless', privateKey: TEST_KEYS.gatewayPrivateKey, known: ['a1'] });
        expect(report.results.filter((r) => r.group === 'identity').map((r) => r.status)).toEqual(Array(7).fill('pass'));
        expect(groupsOf(report, 'fail')).toEqual(['errors', 'leaks', 'ready']);
      } finally {
        await halfway.stop();
      }
    });

    test('the CLI: a line per check, exit 1 on any failure, 0 when it conforms, 2 for a bad command line', async () => {
      const keyFile = join(dir, 'gateway.pem');
      writeFileSync(keyFile, TEST_KEYS.gatewayPrivateKey);
      const out: string[] = [];
      expect(await conformanceCli([careless.url, '--name', 'careless', '--key', keyFile], (l) => out.push(l))).toBe(1);
      expect(out[0]).toBe(`conformance of careless at ${careless.url}: identity headers signed with ${keyFile}`);
      expect(out).toContainEqual(expect.stringMatching(/^FAIL {2}identity {3}a header signed with another key → /));
      expect(out).toContainEqual(expect.stringMatching(/^PASS {2}compose {4}composes with the \d+ other subgraphs/));
      expect(out.at(-1)).toMatch(/^DOES NOT CONFORM: \d+ passed, \d+ failed, 2 skipped \(docs\/department-contract\.md\)$/);

      const good: string[] = [];
      expect(await conformanceCli([graph.departmentSystem.url, '--name=hrss', '--key', keyFile, '--known', DEMO_CASE_IDS.join(',')], (l) => good.push(l))).toBe(0);
      expect(good.at(-1)).toMatch(/^conforms: \d+ passed, 0 failed, 0 skipped/);

      // A key the subgraph does not trust: every signed check fails, the unsigned ones still pass.
      const otherKey = join(dir, 'other.pem');
      writeFileSync(otherKey, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
      const wrong: string[] = [];
      expect(await conformanceCli([graph.departmentSystem.url, '--name', 'hrss', '--key', otherKey], (l) => wrong.push(l))).toBe(1);
      expect(wrong).toContainEqual(expect.stringMatching(/^FAIL {2}sdl {8}_service \{ sdl \} signed for aud=hrss → 401/));

      const refused: string[] = [];
      expect(await conformanceCli(['not a url'], (l) => refused.push(l))).toBe(2);
      expect(await conformanceCli([careless.url, '--key', join(dir, 'missing.pem')], (l) => refused.push(l))).toBe(2);
      expect(refused.at(-1)).toContain('no such file');
      expect(parseArguments([careless.url, '--frobnicate'])).toEqual({ error: expect.stringContaining('unknown option --frobnicate') });
      // Default key: npm start's dev key; default name: the supergraph.yaml entry routed to the URL.
      expect(parseArguments(['http://127.0.0.1:4020/graphql'], { DATA_DIR: '/srv/qinqing' })).toEqual({
        options: expect.objectContaining({ url: 'http://127.0.0.1:4020/graphql', name: undefined, keyFile: '/srv/qinqing/dev-keys/gateway-ed25519.pem' }),
      });
    });
  });

  describe('县人社局’s own system', () => {
    test('_entities: 25 references (20 of its cases, 5 unknown) in one request are one SELECT, answered in order', async () => {
      const statements: string[] = [];
      const own = await startDepartmentSystem({
        port: 0,
        databasePath: join(dir, 'count.sqlite'),
        gatewayPublicKey: graph.config.gatewayIdentity.publicKey,
        onSql: (sql) => statements.push(sql),
        log: () => undefined,
      });
      try {
        const rows = Array.from({ length: 20 }, (_, i) => caseRow('360732-HRSS', codeOf(100 + i)));
        own.store.addCases(rows);
        const ids = [...rows.map((r) => r.application_id)].reverse();
        const unknown = Array.from({ length: 5 }, (_, i) => `b0000000-0000-4000-8000-00000000000${i}`);
        const asked = [...ids.slice(0, 10), ...unknown, ...ids.slice(10)];
        statements.length = 0;
        const { status, body } = await postGraphql(
          own.url,
          { query: ENTITIES, variables: { r: asked.map((id) => ({ __typename: 'Application', id })) } },
          { [IDENTITY_HEADER]: await graph.signIdentity({ role: 'AUDITOR' }, 'hrss') },
        );
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        expect(body.data._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual(asked.map((id) => (unknown.includes(id) ? null : id)));
        expect(statements.filter((s) => /^\s*select/i.test(s))).toHaveLength(1);
      } finally {
        await own.stop();
      }
    });

    test('verifies with the gateway’s JWKS as well as with its key; an oversized or malformed body is refused with a code', async () => {
      const own = await startDepartmentSystem({
        port: 0,
        databasePath: join(dir, 'jwks.sqlite'),
        gatewayJwksUrl: graph.gatewayUrl.replace('/graphql', '/.well-known/jwks.json'),
        maxBodyBytes: 2_000,
        log: () => undefined,
      });
      try {
        const signed = { [IDENTITY_HEADER]: await graph.signIdentity({ role: 'AUDITOR' }, 'hrss') };
        const service = await postGraphql(own.url, { query: '{ _service { sdl } }' }, signed);
        expect(service.status).toBe(200);
        expect(service.body.data._service.sdl).toContain('employmentReview');
        const otherKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const { createIdentitySigner } = await import('../../platform/identity');
        const forged = await (await createIdentitySigner(otherKey)).sign({ role: 'AUDITOR' }, 'hrss');
        expect((await postGraphql(own.url, { query: '{ __typename }' }, { [IDENTITY_HEADER]: forged })).status).toBe(401);
        const big = await postGraphql(own.url, { query: `{ __typename } # ${'x'.repeat(3_000)}` }, signed);
        expect(big).toMatchObject({ status: 413, body: { errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] } });
        const broken = await fetch(own.url, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body: '{"query": ' });
        expect(broken.status).toBe(400);
        expect(((await broken.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
      } finally {
        await own.stop();
      }
    });

    describe('its inbox and reviews through the gateway', () => {
      const own = [codeOf(1), codeOf(2), codeOf(3)];
      let cases: CaseRow[];
      const REVIEW = `mutation($input: EmploymentReviewInput!) { recordEmploymentReview(input: $input) { reviewer conclusion amountFen decisionId decisionRecordedAt } }`;
      const INBOX = `query($filter: EmploymentCaseFilter, $first: Int!, $after: String) {
        employmentCases(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { department receiptNumber review { conclusion } application { id } } }
      }`;
      const qualified = (applicationId: string, amountFen = 2_000_000) => ({
        applicationId,
        employedHeadcount: 20,
        socialInsuranceMonths: 12,
        conclusion: 'QUALIFIED',
        amountFen,
        payeeAccount: '6228480000000001',
        payeeBank: '江西兴国农村商业银行',
      });

      beforeAll(() => {
        cases = [caseRow('360732-HRSS', own[0]), caseRow('360732-HRSS', own[1]), caseRow('360732-HRSS', own[2]), caseRow('360731-HRSS', codeOf(4, '360731'))];
        graph.departmentSystem.store.addCases(cases);
      });

      test('staff see their department’s cases only, page by page; the auditor all; anyone else refused', async () => {
        const first = await graph.query(INBOX, { first: 2 }, tokens.hrssSystem);
        expect(first.body.errors).toBeUndefined();
        const page1 = first.body.data.employmentCases;
        expect(page1.nodes.every((n: { department: string }) => n.department === '360732-HRSS')).toBe(true);
        expect(page1.pageInfo.hasNextPage).toBe(true);
        const rest = await graph.query(INBOX, { first: 100, after: page1.pageInfo.endCursor }, tokens.hrssSystem);
        const all = [...page1.nodes, ...rest.body.data.employmentCases.nodes].map((n: { application: { id: string } }) => n.application.id);
        expect(all).toEqual(expect.arrayContaining(cases.slice(0, 3).map((c) => c.application_id)));
        expect(all).not.toContain(cases[3].application_id);
        expect(all).toHaveLength(page1.totalCount);

        const yudu = await graph.query(INBOX, { first: 100 }, tokens.yuduReviewer);
        expect(yudu.body.data.employmentCases.nodes.map((n: { application: { id: string } }) => n.application.id)).toEqual([cases[3].application_id]);
        const auditor = await graph.query(INBOX, { first: 100 }, tokens.auditor);
        expect(auditor.body.data.employmentCases.totalCount).toBe(page1.totalCount + 1);

        const codes = async (token: string | undefined, variables: Record<string, unknown> = { first: 5 }) => (await graph.query(INBOX, variables, token)).body.errors?.map((e: any) => e.extensions.code);
        expect(await codes(tokens.hrssSystem, { first: 5, filter: { department: '360731-HRSS' } })).toEqual(['FORBIDDEN']);
        expect(await codes(tokens.taxReviewer)).toEqual(['FORBIDDEN']);
        expect(await codes(tokens.clerk)).toEqual(['FORBIDDEN']);
        expect(await codes(undefined)).toEqual(['UNAUTHENTICATED']);
      });

      test('a bad page request names every problem at once', async () => {
        const { body } = await graph.query(INBOX, { first: 0, after: 'not-a-cursor!', filter: { department: 'HRSS' } }, tokens.auditor);
        expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
        expect(body.errors[0].extensions.problems.map((p: { field: string }) => p.field).sort()).toEqual(['after', 'filter.department', 'first']);
      });

      test('a review: every problem at once and nothing written; kept under one decisionId while unchanged, a new one when changed; refused once the decision reached the platform', async () => {
        const [a, b] = cases;
        const bad = await graph.query(
          REVIEW,
          { input: { applicationId: a.application_id, employedHeadcount: -1, socialInsuranceMonths: 12, conclusion: 'NOT_QUALIFIED', amountFen: 100, reason: '  ', note: 'a\u202Eb' } },
          tokens.hrssReviewer,
        );
        expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
        expect(bad.body.errors[0].extensions.problems.map((p: { field: string }) => p.field).sort()).toEqual(['amountFen', 'employedHeadcount', 'note', 'policyExplanation', 'reason']);
        expect(graph.departmentSystem.store.caseById(a.application_id)!.review).toBeNull();

        const saved = await graph.query(REVIEW, { input: qualified(a.application_id) }, tokens.hrssReviewer);
        expect(saved.body.errors).toBeUndefined();
        const review = saved.body.data.recordEmploymentReview;
        expect(review).toMatchObject({ reviewer: 'dev-department_reviewer', conclusion: 'QUALIFIED', amountFen: 2_000_000, decisionRecordedAt: null });
        expect(review.decisionId).toMatch(/^hrss-[0-9a-f-]{36}$/);
        const again = await graph.query(REVIEW, { input: qualified(a.application_id) }, tokens.hrssReviewer);
        expect(again.body.data.recordEmploymentReview.decisionId).toBe(review.decisionId);
        const changed = await graph.query(REVIEW, { input: qualified(a.application_id, 1_500_000) }, tokens.hrssReviewer);
        expect(changed.body.data.recordEmploymentReview.decisionId).not.toBe(review.decisionId);

        // The decision reached the platform (worker.ts marks it so): the review is final.
        const decisionId = changed.body.data.recordEmploymentReview.decisionId;
        graph.departmentSystem.store.markRecorded(a.application_id, decisionId, '2026-11-26T08:00:00.000Z');
        const late = await graph.query(REVIEW, { input: qualified(a.application_id, 900_000) }, tokens.hrssReviewer);
        expect(late.body.errors[0].extensions.code).toBe('WRONG_STATE');
        expect(graph.departmentSystem.store.caseById(a.application_id)!.review).toMatchObject({ amount_fen: 1_500_000, decision_id: decisionId });

        // A rejection carries its reason and the policy's explanation.
        const rejected = await graph.query(
          REVIEW,
          { input: { applicationId: b.application_id, employedHeadcount: 3, socialInsuranceMonths: 2, conclusion: 'NOT_QUALIFIED', reason: '社保连续缴纳不足6个月', policyExplanation: '《兴国县企业吸纳就业补贴办法》第三条：须连续缴纳社会保险满6个月' } },
          tokens.hrssReviewer,
        );
        expect(rejected.body.data.recordEmploymentReview).toMatchObject({ conclusion: 'NOT_QUALIFIED', amountFen: null });
      });

      test('who may record a review: this office’s reviewers, for their department’s cases; another department’s case is as if absent', async () => {
        const codes = async (token: string | undefined, applicationId: string) => (await graph.query(REVIEW, { input: qualified(applicationId) }, token)).body.errors?.map((e: any) => e.extensions.code);
        expect(await codes(tokens.hrssSystem, cases[2].application_id)).toEqual(['FORBIDDEN']);
        expect(await codes(tokens.auditor, cases[2].application_id)).toEqual(['FORBIDDEN']);
        expect(await codes(tokens.taxReviewer, cases[2].application_id)).toEqual(['FORBIDDEN']);
        expect(await codes(undefined, cases[2].application_id)).toEqual(['UNAUTHENTICATED']);
        const other = await graph.query(REVIEW, { input: qualified(cases[3].application_id) }, tokens.hrssReviewer);
        const missing = await graph.query(REVIEW, { input: qualified('c0000000-0000-4000-8000-000000000000') }, tokens.hrssReviewer);
        expect(other.body.errors[0].extensions.code).toBe('NOT_FOUND');
        expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
        expect(graph.departmentSystem.store.caseById(cases[3].application_id)!.review).toBeNull();
      });

      test('Application.employmentReview: the enterprise itself, this office, the region’s officials and the auditor; others as if none; the window refused', async () => {
        const id = cases[1].application_id; // reviewed above: NOT_QUALIFIED
        const ask = async (identity: Identity) => {
          const { status, body } = await postGraphql(
            graph.departmentSystem.url,
            { query: ENTITIES, variables: { r: [{ __typename: 'Application', id }] } },
            { [IDENTITY_HEADER]: await graph.signIdentity(identity, 'hrss') },
          );
          expect(status).toBe(200);
          return body.errors ? body.errors.map((e: any) => e.extensions.code).join() : body.data._entities[0] ? body.data._entities[0].employmentReview.conclusion : null;
        };
        expect(await ask({ role: 'ENTERPRISE', creditCode: own[1] })).toBe('NOT_QUALIFIED');
        expect(await ask({ role: 'ENTERPRISE', creditCode: own[0] })).toBeNull();
        expect(await ask({ role: 'DEPARTMENT_REVIEWER', department: '360732-HRSS', region: '360732' })).toBe('NOT_QUALIFIED');
        expect(await ask({ role: 'DEPARTMENT_REVIEWER', department: '360731-HRSS', region: '360731' })).toBeNull();
        expect(await ask({ role: 'APPROVAL_BUREAU', region: '360732' })).toBe('NOT_QUALIFIED');
        expect(await ask({ role: 'FINANCE', region: '360700' })).toBe('NOT_QUALIFIED');
        expect(await ask({ role: 'APPROVAL_BUREAU', region: '360731' })).toBeNull();
        expect(await ask({ role: 'AUDITOR' })).toBe('NOT_QUALIFIED');
        expect(await ask({ role: 'WINDOW_CLERK', region: '360732' })).toBe('FORBIDDEN');
        expect(await ask({ role: 'DEPARTMENT_SYSTEM', department: '360732-TAX', region: '360732' })).toBe('FORBIDDEN');
        expect(await ask({ role: null })).toBe('UNAUTHENTICATED');
        // Refusals decided before loading: the same for an id it has no case for.
        const unknown = await postGraphql(
          graph.departmentSystem.url,
          { query: ENTITIES, variables: { r: [{ __typename: 'Application', id: 'c0000000-0000-4000-8000-000000000001' }] } },
          { [IDENTITY_HEADER]: await graph.signIdentity({ role: 'WINDOW_CLERK', region: '360732' }, 'hrss') },
        );
        expect(unknown.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
      });
    });
  });
  describe('the whole way: accepted at the window, pulled by 县人社局’s own system, decided there, pushed back', () => {
    const SUBMIT = `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status department } }`;
    const CHECK = `mutation($id: ID!) { checkApplication(id: $id, input: { accept: true, note: "材料齐全，予以受理" }) { id status department } }`;
    const REVIEW = `mutation($input: EmploymentReviewInput!) { recordEmploymentReview(input: $input) { decisionId decisionRecordedAt decisionError } }`;
    const CASE = `query($id: ID!) { application(id: $id) { status amountFen rejectionReason policyExplanation timeline { action actorRole actorDepartment }
      employmentReview { conclusion employedHeadcount decisionId decisionRecordedAt decisionError } } }`;
    const access = {
      url: '',
      token: (department: string) => graph.token({ role: 'DEPARTMENT_SYSTEM', department, region: department.slice(0, 6) }),
    };
    const ids: string[] = [];
    let bureau: string;

    /** An INSTANT application of 县人社局's policy XG-2026-014 (吸纳重点群体就业社保补贴), accepted at the hall window: IN_REVIEW at 360732-HRSS. */
    async function acceptedApplication(creditCode: string): Promise<string> {
      const enterprise = await graph.token({ role: 'ENTERPRISE', creditCode });
      const submitted = await graph.query(
        SUBMIT,
        { input: { policyId: 'XG-2026-014', creditCode, data: {}, materials: [await graph.uploadMaterial(creditCode, '吸纳重点群体就业社保补贴申报表')] } },
        enterprise,
      );
      expect(submitted.body.errors).toBeUndefined();
      const hall = await graph.token({ role: 'WINDOW_CLERK', department: '360732-APPROVAL', region: '360732' });
      const accepted = await graph.query(CHECK, { id: submitted.body.data.submitApplication.id }, hall);
      expect(accepted.body.errors).toBeUndefined();
      expect(accepted.body.data.checkApplication).toMatchObject({ status: 'IN_REVIEW', department: '360732-HRSS' });
      return accepted.body.data.checkApplication.id;
    }

    beforeAll(async () => {
      access.url = graph.gatewayUrl;
      bureau = await graph.token({ role: 'APPROVAL_BUREAU', region: '360732' });
      const { body } = await graph.query('{ enterprises(first: 12, filter: { regionCode: "360732" }) { nodes { creditCode } } }', {}, tokens.auditor);
      for (const { creditCode } of body.data.enterprises.nodes.slice(8, 11)) ids.push(await acceptedApplication(creditCode));
    });

    test('the worker pulls the IN_REVIEW cases of its department once; the reviewer reads them joined with the platform’s application', async () => {
      const [first, again] = [await graph.departmentSystem.sync(access), await graph.departmentSystem.sync(access)];
      expect(first.map((r) => [r.department, r.pulled, r.recorded, r.interrupted])).toEqual([
        ['360732-HRSS', 3, [], undefined],
        ['360731-HRSS', 0, [], undefined],
      ]);
      // Reviews written above for cases the platform never dispatched are refused for good (NOT_FOUND), once.
      expect(Object.values(first[0].refused)).toEqual(expect.arrayContaining(['NOT_FOUND']));
      expect(Object.keys(first[0].refused)).toEqual(expect.arrayContaining([DEMO_CASE_IDS[0]]));
      expect(again.map((r) => [r.pulled, r.refused])).toEqual([[0, {}], [0, {}]]);
      const inbox = await graph.query(
        `{ employmentCases(first: 100, filter: { reviewed: false }) { nodes { receiptNumber application { id receiptNumber status policyTitle } } } }`,
        {},
        tokens.hrssReviewer,
      );
      expect(inbox.body.errors).toBeUndefined();
      // Cases written above for applications the platform never had: their application is null, the rest still answers.
      const nodes = inbox.body.data.employmentCases.nodes;
      expect(nodes.filter((n: any) => n.application === null).length).toBeGreaterThan(0);
      const pulled = nodes.filter((n: any) => ids.includes(n.application?.id));
      expect(pulled).toHaveLength(3);
      for (const n of pulled) expect(n.application).toMatchObject({ receiptNumber: n.receiptNumber, status: 'IN_REVIEW', policyTitle: '吸纳重点群体就业社保补贴' });
    });

    test('a decision reaches the platform once, as 县人社局’s DEPARTMENT_SYSTEM; sent again after a lost answer it changes nothing', async () => {
      const [id] = ids;
      const reviewed = await graph.query(
        REVIEW,
        { input: { applicationId: id, employedHeadcount: 12, socialInsuranceMonths: 18, conclusion: 'QUALIFIED', amountFen: 300_000, payeeAccount: '6228480000000001', payeeBank: '江西兴国农村商业银行' } },
        tokens.hrssReviewer,
      );
      expect(reviewed.body.errors).toBeUndefined();
      const { decisionId } = reviewed.body.data.recordEmploymentReview;
      const [report] = await graph.departmentSystem.sync(access);
      expect(report).toMatchObject({ pulled: 0, recorded: [id], refused: {} });
      // The approval goes on to the joint audit by itself: compare once it has settled.
      const decided = await eventually(
        async () => (await graph.query(CASE, { id }, bureau)).body,
        (body) => ['AWAITING_PAYMENT', 'HELD'].includes(body.data?.application?.status),
      );
      expect(decided.errors).toBeUndefined();
      expect(decided.data.application).toMatchObject({ amountFen: 300_000, employmentReview: { conclusion: 'QUALIFIED', employedHeadcount: 12, decisionId, decisionRecordedAt: expect.any(String), decisionError: null } });
      expect(decided.data.application.status).not.toBe('IN_REVIEW');
      const approvals = decided.data.application.timeline.filter((s: any) => s.action === 'approve');
      expect(approvals).toEqual([{ action: 'approve', actorRole: 'DEPARTMENT_SYSTEM', actorDepartment: '360732-HRSS' }]);

      // The platform's answer was lost (a crash between the push and the note of it): the next run sends it again.
      graph.departmentSystem.store.db.prepare('UPDATE employment_review SET decision_recorded_at = NULL WHERE application_id = ?').run(id);
      const [resent] = await graph.departmentSystem.sync(access);
      expect(resent).toMatchObject({ recorded: [id], refused: {} });
      const after = (await graph.query(CASE, { id }, bureau)).body.data.application;
      expect(after.timeline).toEqual(decided.data.application.timeline);
      expect(after.status).toBe(decided.data.application.status);
      // Nothing left to push.
      expect((await graph.departmentSystem.sync(access))[0].recorded).toEqual([]);
    });

    test('a rejection carries its reason and the policy’s explanation to the enterprise', async () => {
      const id = ids[1];
      await graph.query(
        REVIEW,
        { input: { applicationId: id, employedHeadcount: 2, socialInsuranceMonths: 3, conclusion: 'NOT_QUALIFIED', reason: '新吸纳人员社保缴纳不足6个月', policyExplanation: '《兴国县稳就业促创业若干政策措施》第五条：按月足额缴纳社会保险满6个月方可申领' } },
        tokens.hrssReviewer,
      );
      expect((await graph.departmentSystem.sync(access))[0]).toMatchObject({ recorded: [id] });
      const { body } = await graph.query(CASE, { id }, bureau);
      expect(body.data.application).toMatchObject({ status: 'REJECTED', rejectionReason: '新吸纳人员社保缴纳不足6个月', policyExplanation: expect.stringContaining('第五条') });
    });

    test('a case decided meanwhile by someone else: the platform refuses the second decision for good, the reviewer sees why', async () => {
      const id = ids[2];
      // 县人社局's reviewer decided in the platform directly, with an idempotency key of their own.
      const direct = await graph.query(
        'mutation($input: DepartmentDecisionInput!) { recordDepartmentDecision(input: $input) { status } }',
        { input: { applicationId: id, decisionId: 'manual-0001', outcome: 'REJECTED', reason: '材料不实', policyExplanation: '第七条：提供虚假材料的不予兑现' } },
        tokens.hrssReviewer,
      );
      expect(direct.body.errors).toBeUndefined();
      const reviewed = await graph.query(
        REVIEW,
        { input: { applicationId: id, employedHeadcount: 30, socialInsuranceMonths: 24, conclusion: 'QUALIFIED', amountFen: 500_000, payeeAccount: '6228480000000002', payeeBank: '江西兴国农村商业银行' } },
        tokens.hrssReviewer,
      );
      expect(reviewed.body.errors).toBeUndefined();
      const [report] = await graph.departmentSystem.sync(access);
      expect(report).toMatchObject({ recorded: [], refused: { [id]: 'WRONG_STATE' } });
      // Not retried by itself; the review says why.
      expect((await graph.departmentSystem.sync(access))[0].refused).toEqual({});
      const { body } = await graph.query(CASE, { id }, bureau);
      expect(body.data.application.status).toBe('REJECTED');
      expect(body.data.application.employmentReview).toMatchObject({ decisionRecordedAt: null, decisionError: expect.stringMatching(/^WRONG_STATE: /) });
    });

    test('with real cases pulled and decided, 县人社局’s system still passes the conformance test', async () => {
      const report = await runConformance({ url: graph.departmentSystem.url, name: 'hrss', privateKey: TEST_KEYS.gatewayPrivateKey, known: ids });
      expect(failed(report)).toEqual([]);
    });
  });
});
