import { createHash } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { createGateway, type Gateway } from '../../gateway';
import { IDENTITY_HEADER } from '../../platform/identity';
import { cacheBytes } from '../../platform/limits';
import { createSubgraphServer } from '../../subgraphs/kit/server';
import { enterprisesSubgraph } from '../../subgraphs/enterprises';
import { describeDb } from '../support/db';
import { postGraphql, signIdentity, startTestGraph, type TestGraph } from '../support/graph';

/** The limits on real requests: gateway over HTTP in front of both subgraphs, each its own database. */
describeDb('query limits through the gateway and at the subgraphs', () => {
  let graph: TestGraph;
  let auditor: string;
  /** HTTP requests each subgraph received: a refusal at the gateway must leave them unchanged. */
  const calls: Record<string, number> = {};
  const subgraphCalls = () => ({ ...calls });

  beforeAll(async () => {
    graph = await startTestGraph();
    auditor = await graph.token({ role: 'AUDITOR' });
    for (const [name, running] of Object.entries(graph.subgraphs)) {
      calls[name] = 0;
      running.http.server.on('request', () => calls[name]++);
    }
  });
  afterAll(() => graph?.stop());

  /** Sent as a client would; returns the refusal's extensions and checks nothing else came back. */
  async function refused(query: string, variables?: Record<string, unknown>) {
    const before = subgraphCalls();
    const { status, body } = await graph.query(query, variables, auditor);
    expect(subgraphCalls()).toEqual(before);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(body.errors[0].message).toMatch(/超过上限 \d+/);
    return body.errors[0].extensions as { code: string; limit: string; max: number; actual: number };
  }

  const page = (first: string) => `taxpayers(first: ${first}) { nodes { creditRating enterprise { name } } }`;
  const thirtyPages = (first: string) => Array.from({ length: 30 }, (_, i) => `p${i}: ${page(first)}`).join(' ');
  // tax ↔ enterprise cycle: each pair is two levels; fragments add none of their own.
  const deepByFragments = `
    query Deep($n: Int!) { taxpayers(first: $n) { nodes { ...A } } }
    fragment A on TaxProfile { enterprise { tax { enterprise { tax { ...B } } } } }
    fragment B on TaxProfile { enterprise { tax { enterprise { tax { enterprise { tax { creditRating } } } } } } }`;

  describe('abusive queries are refused before any subgraph is called, with variables as with literals', () => {
    test('thirty aliases of taxpayers(first: $n) with n = 500', async () => {
      // 30 × (1 + 500 × (nodes 1 + creditRating 1 + enterprise (1 + name 1)))
      const withVariable = await refused(`query($n: Int!) { ${thirtyPages('$n')} }`, { n: 500 });
      expect(withVariable).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 5000, actual: 60_030 });
      expect(await refused(`{ ${thirtyPages('500')} }`)).toEqual(withVariable);
    });

    test('a page size beyond any resolver’s cap is refused by cost, not by the resolver', async () => {
      const query = (first: string) =>
        `{ taxpayers(first: ${first}) { nodes { enterprise { name region { name } tax { creditRating enterprise { name } } } } } }`;
      const withVariable = await refused(query('$n').replace('{ taxpayers', 'query($n: Int!) { taxpayers'), { n: 2000 });
      expect(withVariable).toMatchObject({ limit: 'cost', max: 5000 });
      expect(withVariable.actual).toBeGreaterThan(5000);
      expect(await refused(query('2000'))).toEqual(withVariable);
    });

    test('depth reached through fragments', async () => {
      // taxpayers, nodes, then 4 + 6 levels through the fragments, creditRating: 13
      const withVariable = await refused(deepByFragments, { n: 1 });
      expect(withVariable).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 12, actual: 13 });
      expect(await refused(deepByFragments.replace('query Deep($n: Int!)', 'query Deep').replace('$n', '1'))).toEqual(withVariable);
    });

    test('aliases', async () => {
      const query = (arg: string) => `{ ${Array.from({ length: 31 }, (_, i) => `d${i}: departments(regionCode: ${arg}) { code }`).join(' ')} }`;
      const withVariable = await refused(query('$r').replace('{', 'query($r: String) {'), { r: '360732' });
      expect(withVariable).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, actual: 31 });
      expect(await refused(query('"360732"'))).toEqual(withVariable);
    });

    test('a directives flood', async () => {
      const flood = (cond: string) => Array.from({ length: 60 }, () => `... @include(if: ${cond}) { code }`).join(' ');
      const withVariable = await refused(`query($yes: Boolean!) { regions { code ${flood('$yes')} } }`, { yes: true });
      expect(withVariable).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: 50, actual: 60 });
      expect(await refused(`{ regions { code ${flood('true')} } }`)).toEqual(withVariable);
    });

    test('a token flood', async () => {
      // { regions { = 3, 5000 × code, } } = 2
      expect(await refused(`{ regions { ${'code '.repeat(5000)} } }`)).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 4000, actual: 5005 });
    });
  });

  describe('legitimate queries pass', () => {
    // Every operation of examples.graphql runs through these limits in graph.test.ts.
    test('the IDE’s introspection query', async () => {
      const { status, body } = await graph.query(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }));
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.__schema.queryType.name).toBe('Query');
    });

    test('a page of 500 taxpayers joined to their enterprises: 500 representations pass the subgraph’s own wall', async () => {
      const before = subgraphCalls();
      const { status, body } = await graph.query(`query($n: Int!) { taxpayers(first: $n) { nodes { enterprise { name } } } }`, { n: 500 }, auditor);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.taxpayers.nodes.length).toBe(500);
      expect(body.data.taxpayers.nodes.every((n: any) => typeof n.enterprise.name === 'string')).toBe(true);
      // The enterprises subgraph was called: its limits let the gateway's _entities call through.
      expect(subgraphCalls().enterprises).toBeGreaterThan(before.enterprises);
    });
  });

  describe('a subgraph called directly applies the same limits', () => {
    const direct = async (query: string, variables?: Record<string, unknown>) => {
      const identity = await signIdentity(graph.config, { role: 'AUDITOR' }, 'enterprises');
      return postGraphql(graph.subgraphs.enterprises.http.url, { query, variables }, { [IDENTITY_HEADER]: identity });
    };

    test('aliases, depth and cost over the limit are refused without touching the database', async () => {
      const statements = graph.subgraphs.enterprises.db.statements.length;
      const aliases = await direct(`{ ${Array.from({ length: 5000 }, (_, i) => `d${i}: regions { code }`).join(' ')} }`);
      expect(aliases.status).toBe(400);
      // 5000 aliases are 15,000+ tokens: the parser stops first.
      expect(aliases.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 4000 });
      const fewer = await direct(`{ ${Array.from({ length: 31 }, (_, i) => `d${i}: regions { code }`).join(' ')} }`);
      expect(fewer.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, actual: 31 });
      const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { name region { name } } } }`;
      const representations = Array.from({ length: 2000 }, () => ({ __typename: 'Enterprise', creditCode: '91360732MA39C56E2L' }));
      const cost = await direct(entities, { r: representations });
      // 1 + 2000 × (name 1 + region (1 + 1))
      expect(cost.status).toBe(400);
      expect(cost.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 5000, actual: 6001 });
      expect(graph.subgraphs.enterprises.db.statements.length).toBe(statements);
    });
  });

  const hash = (query: string) => createHash('sha256').update(query).digest('hex');

  describe('persisted queries', () => {
    test('an unknown hash is PERSISTED_QUERY_NOT_FOUND, untouched, and a registered one runs', async () => {
      const query = '{ regions { code } }';
      const persisted = { persistedQuery: { version: 1, sha256Hash: hash(query) } };
      const unknown = await postGraphql(graph.gatewayUrl, { extensions: persisted });
      expect(unknown.body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
      const registered = await postGraphql(graph.gatewayUrl, { query, extensions: persisted });
      expect(registered.body.errors).toBeUndefined();
      const byHash = await postGraphql(graph.gatewayUrl, { extensions: persisted });
      expect(byHash.body.data.regions.length).toBeGreaterThan(0);
    });
  });

  describe('a production gateway', () => {
    let production: Gateway;
    let url: string;
    const ceiling = 30_000;

    beforeAll(async () => {
      production = await createGateway(
        { ...graph.config, production: true, persistedQueries: false, queryCacheMaxBytes: ceiling },
        { serviceUrls: graph.serviceUrls },
      );
      url = (await production.listen(0, '127.0.0.1')).url;
    });
    afterAll(() => production?.stop());

    test('hides field suggestions; development shows them', async () => {
      const typo = '{ regions { nme } }';
      const dev = await postGraphql(graph.gatewayUrl, { query: typo });
      expect(dev.body.errors[0].message).toBe('Cannot query field "nme" on type "Region". Did you mean "name"?');
      const prod = await postGraphql(url, { query: typo });
      expect(prod.status).toBe(400);
      expect(prod.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(prod.body.errors[0].message).toMatch(/^Cannot query field "nme" on type "Region"\./);
      expect(prod.body.errors[0].message).not.toMatch(/Did you mean|"name"/);
      // Enum values, argument names and types are suggested too; production hides them all.
      const auditor = await graph.token({ role: 'AUDITOR' });
      const enumTypo = '{ enterprises(first: 1, filter: { scale: SMAL }) { totalCount } }';
      const devEnum = await postGraphql(graph.gatewayUrl, { query: enumTypo }, { authorization: `Bearer ${auditor}` });
      expect(devEnum.body.errors[0].message).toMatch(/Did you mean the enum value "SMALL"\?/);
      for (const query of [enumTypo, '{ enterprises(firts: 1) { totalCount } }']) {
        const hidden = await postGraphql(url, { query }, { authorization: `Bearer ${auditor}` });
        expect(hidden.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(hidden.body.errors[0].message).not.toMatch(/Did you mean|SMALL|"first"/);
      }
    });

    test('a production subgraph hides them too', async () => {
      const server = await createSubgraphServer(enterprisesSubgraph, graph.subgraphs.enterprises.db.orm, { ...graph.config, production: true });
      try {
        const response = await server.apollo.executeOperation({ query: '{ regions { nme } }' }, { contextValue: await server.contextFor({ [IDENTITY_HEADER]: await signIdentity(graph.config, { role: null }, 'enterprises') }) });
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        expect(errors?.[0].message).toMatch(/^Cannot query field "nme" on type "Region"\./);
        expect(errors?.[0].message).not.toMatch(/Did you mean|"name"/);
      } finally {
        await server.stop();
      }
    });

    test('with persisted queries off, a hash is PERSISTED_QUERY_NOT_SUPPORTED', async () => {
      const { body } = await postGraphql(url, { extensions: { persistedQuery: { version: 1, sha256Hash: hash('{ regions { code } }') } } });
      expect(body.errors).toEqual([{ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }]);
    });

    test('unique operations from anonymous callers keep the document and plan caches under the ceiling', async () => {
      const sent = 150;
      for (let i = 0; i < sent; i++) {
        const { body } = await postGraphql(url, { query: `query Unique${i} { regions { code name } departments(regionCode: "360732") { code } }` });
        expect(body.errors).toBeUndefined();
      }
      for (const cache of [production.caches.documents, production.caches.plans]) {
        expect(cache.keys().length).toBeGreaterThan(0);
        expect(cache.keys().length).toBeLessThan(sent); // the oldest were evicted
        expect(await cacheBytes(cache)).toBeLessThanOrEqual(ceiling);
      }
    });
  });
});
