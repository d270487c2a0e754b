import { ApolloServer } from '@apollo/server';
import { buildSchema, getIntrospectionQuery } from 'graphql';
import { cacheBytes, queryGuard, resolveQueryLimits, type QueryLimits } from '../../platform/limits';

/** The limits through a real Apollo Server pipeline (parse, validate, resolve operation, execute). */
const schema = buildSchema(/* GraphQL */ `
  scalar _Any
  union _Entity = Node
  type Query {
    node: Node
    nodes(first: Int, last: Int): [Node!]!
    items(first: Int = 20, after: String): ItemConnection!
    _entities(representations: [_Any!]!): [_Entity]!
    byKeys(keys: [ID!]!): [Node]!
  }
  type SourceFindings {
    asOf: String
    findings: [Finding!]!
  }
  type Finding {
    reason: String
    tags: [String!]!
  }
  type Node {
    id: ID!
    name: String
    tags: [String!]!
    child: Node
    parent: Node
    children(first: Int): [Node!]!
    findings: SourceFindings
  }
  type Item {
    id: ID!
    related(limit: Int): [Node!]!
  }
  type ItemEdge {
    cursor: String!
    node: Item!
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type ItemConnection {
    nodes: [Item!]!
    edges: [ItemEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
`);

const limits = resolveQueryLimits({});

async function server(options: { limits?: Partial<QueryLimits>; production?: boolean; cacheMaxBytes?: number } = {}) {
  const guard = queryGuard({
    limits: resolveQueryLimits({ ...limits, ...options.limits }),
    production: options.production ?? false,
    cacheMaxBytes: options.cacheMaxBytes ?? 2 ** 20,
    persistedQueries: true,
  });
  const apollo = new ApolloServer({ schema, ...guard.serverOptions, plugins: guard.plugins, rootValue: { nodes: [], node: null, _entities: [], items: { nodes: [], edges: [], pageInfo: { hasNextPage: false }, totalCount: 0 } } });
  await apollo.start();
  return { apollo, guard };
}

let apollo: ApolloServer;
beforeAll(async () => {
  ({ apollo } = await server());
});
afterAll(() => apollo?.stop());

async function run(query: string, variables?: Record<string, unknown>, on: ApolloServer = apollo) {
  const response = await on.executeOperation({ query, variables });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status ?? 200, errors: response.body.singleResult.errors };
}

/** The refusals of a request: [limit, actual] pairs; [] when it passed the limits. */
async function refusals(query: string, variables?: Record<string, unknown>, on?: ApolloServer) {
  const { status, errors } = await run(query, variables, on);
  const refused = (errors ?? []).filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX');
  if (refused.length) expect(status).toBe(400);
  return refused.map((e) => [e.extensions!.limit, e.extensions!.actual]);
}

/** `{ node { child { … { id } } } }` with exactly `depth` levels of fields. */
function nested(depth: number): string {
  let inner = 'id';
  for (let level = depth - 1; level >= 2; level--) inner = `child { ${inner} }`;
  return `{ node { ${inner} } }`;
}

describe('query limits (platform/limits.ts)', () => {
  it('passes an ordinary query', async () => {
    const { errors } = await run(`
      query Dashboard($n: Int = 10) {
        node { id name tags children(first: $n) { id name } }
        items(first: 20) { totalCount pageInfo { hasNextPage endCursor } nodes { id __typename } }
      }`);
    expect(errors).toBeUndefined();
  });

  describe('depth', () => {
    it('allows exactly the maximum, refuses one level more with the details', async () => {
      expect(await refusals(nested(12))).toEqual([]);
      const { status, errors } = await run(nested(13));
      expect(status).toBe(400);
      expect(errors).toHaveLength(1);
      expect(errors![0]).toEqual({
        message: '查询嵌套过深：深度 13 超过上限 12，请减少嵌套层级或拆分查询',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 12, actual: 13 },
      });
    });

    it('counts levels inside fragment spreads and inline fragments, which add none of their own', async () => {
      const query = `
        { node { ...A } }
        fragment A on Node { child { ... on Node { child { ...B } } } }
        fragment B on Node { child { child { child { ...C } } } }
        fragment C on Node { child { child { child { child { child { child { id } } } } } } }
      `;
      // node(1) + 2 in A + 3 in B + 6 child + id = 13
      expect(await refusals(query)).toEqual([['depth', 13]]);
    });

    it('exempts the IDE’s introspection query, not __type nested under a deep query', async () => {
      const { errors } = await run(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true, directiveIsRepeatable: true, schemaDescription: true }));
      expect(errors).toBeUndefined();
      const query = nested(13).replace('{ node', '{ __type(name: "Node") { name fields { name type { name } } } node');
      expect(await refusals(query)).toEqual([['depth', 13]]);
    });
  });

  describe('aliases', () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: node { id }`).join(' ')} }`;

    it('allows 30 aliases, refuses 31', async () => {
      expect(await refusals(aliased(30))).toEqual([]);
      const { errors } = await run(aliased(31));
      expect(errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, actual: 31 });
      expect(errors![0].message).toBe('查询别名过多：共 31 个别名，超过上限 30，请减少别名或拆分为多次请求');
    });

    it('counts aliases in a fragment each time it is spread', async () => {
      const fields = Array.from({ length: 8 }, (_, i) => `x${i}: id`).join(' ');
      expect(await refusals(`{ node { ...F child { ...F child { ...F child { ...F } } } } } fragment F on Node { ${fields} }`)).toEqual([['aliases', 32]]);
    });
  });

  describe('directives', () => {
    it('refuses a directives flood, also hidden in a spread fragment', async () => {
      const flood = (n: number) => Array.from({ length: n }, () => '... @include(if: $yes) { id }').join(' ');
      expect((await run(`query($yes: Boolean!) { node { ${flood(50)} } }`, { yes: true })).errors).toBeUndefined();
      expect(await refusals(`query($yes: Boolean!) { node { ${flood(51)} } }`, { yes: true })).toEqual([['directives', 51]]);
      expect(await refusals(`query($yes: Boolean!) { node { ...F ...F } } fragment F on Node { ${flood(30)} }`, { yes: true })).toEqual([
        ['directives', 60],
      ]);
    });
  });

  describe('tokens', () => {
    it('refuses a token flood with the count in the message', async () => {
      const query = `{ node { ${'id '.repeat(4100)} } }`; // { node { = 3, 4100 ids, } } = 2
      const { status, errors } = await run(query);
      expect(status).toBe(400);
      expect(errors).toEqual([
        {
          message: '查询过长：共 4105 个词法单元，超过上限 4000，请精简查询或拆分为多个请求',
          extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 4000, actual: 4105 },
        },
      ]);
    });
  });

  describe('cost, with the request’s variables', () => {
    it('a list asked for by keys costs its key count; a FLAT_COST_TYPES value costs 1 whatever is inside', async () => {
      const bulk = `query($k: [ID!]!) { byKeys(keys: $k) { findings { asOf findings { reason tags } } } }`;
      const keys = (n: number) => Array.from({ length: n }, (_, i) => String(i));
      // 1 + 1000 × 1: the 1,000 joint audits of docs/joint-audit.md pass …
      expect(await refusals(bulk, { k: keys(1000) })).toEqual([]);
      // … 5,000 do not.
      expect(await refusals(bulk, { k: keys(5000) })).toEqual([['cost', 5001]]);
      // Not a flat type: 1 + 1000 × (1 + 1 + 20 × 1).
      expect(await refusals(`query($k: [ID!]!) { byKeys(keys: $k) { id tags children { id } } }`, { k: keys(1000) })).toEqual([['cost', 23_001]]);
    });

    const twoLevels = `query($n: Int) { nodes(first: $n) { children(first: $n) { id } } }`;

    it('multiplies by the page size a variable carries, exactly as by a literal', async () => {
      // 1 + 1000 × (1 + 1000 × 1)
      expect(await refusals(twoLevels, { n: 1000 })).toEqual([['cost', 1_001_001]]);
      expect(await refusals(`{ nodes(first: 1000) { children(first: 1000) { id } } }`)).toEqual([['cost', 1_001_001]]);
      // 1 + 10 × (1 + 10) = 111
      expect(await refusals(twoLevels, { n: 10 })).toEqual([]);
      const { errors } = await run(twoLevels, { n: 1000 });
      expect(errors![0]).toEqual({
        message: '查询代价过高：估算代价 1001001 超过上限 5000，请减小分页参数（first/last/limit）、减少嵌套的列表字段或拆分查询',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 5000, actual: 1_001_001 },
      });
    });

    it('is remembered per operation and variable set (memoized per document), never across them', async () => {
      const document = `query Cheap($n: Int) { nodes(first: $n) { id } } query Dear($n: Int) { nodes(first: $n) { children(first: $n) { id } } }`;
      const costOf = async (operationName: string, n: number) => {
        const response = await apollo.executeOperation({ query: document, operationName, variables: { n } });
        if (response.body.kind !== 'single') throw new Error('expected a single result');
        return response.body.singleResult.errors?.[0]?.extensions?.actual ?? 'ok';
      };
      // Twice over, interleaved: a remembered answer must be the one for its own operation and variables.
      for (let round = 0; round < 2; round++) {
        expect(await costOf('Cheap', 100)).toBe('ok'); // 1 + 100
        expect(await costOf('Dear', 100)).toBe(10_101); // 1 + 100 × (1 + 100)
        expect(await costOf('Dear', 10)).toBe('ok'); // 1 + 10 × 11
        expect(await costOf('Cheap', 10_000)).toBe(10_001);
      }
    });

    it('thirty aliases of a page of 500 through a variable cost what the literals cost', async () => {
      const aliases = (page: string) => Array.from({ length: 30 }, (_, i) => `p${i}: items(first: ${page}) { nodes { id } }`).join(' ');
      // 30 × (1 + 500 × (1 + 1))
      expect(await refusals(`query($n: Int) { ${aliases('$n')} }`, { n: 500 })).toEqual([['cost', 30_030]]);
      expect(await refusals(`{ ${aliases('500')} }`)).toEqual([['cost', 30_030]]);
      expect(await refusals(`query($n: Int) { ${aliases('$n')} }`, { n: 2 })).toEqual([]);
    });

    it('uses a variable’s default, the schema’s default, else defaultListSize', async () => {
      expect(await refusals(`query($n: Int = 1000) { nodes(first: $n) { children(first: $n) { id } } }`)).toEqual([['cost', 1_001_001]]);
      // No value anywhere: 1 + 20 × (1 + 20 × (1 + 20 × 1)) = 8421
      expect(await refusals(`{ nodes { children { children { id } } } }`)).toEqual([['cost', 8421]]);
      // items(first: Int = 20): 1 + 20 × 2 = 41
      const { apollo: tight } = await server({ limits: { maxCost: 40 } });
      expect(await refusals(`{ items { nodes { id } } }`, undefined, tight)).toEqual([['cost', 41]]);
      await tight.stop();
    });

    it('uses last and limit too, and the largest page argument', async () => {
      expect(await refusals(`query($n: Int) { nodes(last: $n) { children(first: $n) { id } } }`, { n: 1000 })).toEqual([['cost', 1_001_001]]);
      expect(await refusals(`query($n: Int) { nodes(first: 1, last: $n) { children(first: 1000) { id } } }`, { n: 1000 })).toEqual([['cost', 1_001_001]]);
      expect((await refusals(`query($n: Int) { items(first: 100) { nodes { related(limit: $n) { id } } } }`, { n: 1000 }))[0]?.[0]).toBe('cost');
    });

    it('multiplies a connection by its page, not its nodes/edges again; __typename is free', async () => {
      // 1 + 100 × (totalCount 1 + nodes (1 + id 1 + __typename 0) + edges (1 + cursor 1 + node (1 + 1))) = 701
      const query = `query($n: Int) { items(first: $n) { totalCount nodes { id __typename } edges { cursor node { id } } } }`;
      const { apollo: tight } = await server({ limits: { maxCost: 700 } });
      expect(await refusals(query, { n: 100 }, tight)).toEqual([['cost', 701]]);
      expect(await refusals(query, { n: 99 }, tight)).toEqual([]);
      await tight.stop();
    });

    it('counts a fragment’s cost wherever it is spread', async () => {
      const query = `
        query($n: Int) { nodes(first: $n) { ...Kids } }
        fragment Kids on Node { children(first: $n) { ...Leaf } }
        fragment Leaf on Node { id name }
      `;
      // 1 + 50 × (1 + 50 × 2) = 5051
      expect(await refusals(query, { n: 50 })).toEqual([['cost', 5051]]);
    });

    it('costs only the operation the request runs', async () => {
      const doc = `query Small { node { id } } query Big($n: Int) { nodes(first: $n) { children(first: $n) { id } } }`;
      const small = await apollo.executeOperation({ query: doc, operationName: 'Small', variables: { n: 1000 } });
      expect(small.body.kind === 'single' && small.body.singleResult.errors).toBeUndefined();
      const big = await apollo.executeOperation({ query: doc, operationName: 'Big', variables: { n: 1000 } });
      expect(big.body.kind === 'single' && big.body.singleResult.errors?.[0].extensions).toMatchObject({ limit: 'cost', actual: 1_001_001 });
    });

    it('multiplies _entities by the representations sent, as a subgraph is called', async () => {
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Node { id name } } }`;
      const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Node', id: String(i) }));
      // 1 + 2499 × 2 = 4999; 1 + 2500 × 2 = 5001
      expect(await refusals(query, { r: reps(2499) })).toEqual([]);
      expect(await refusals(query, { r: reps(2500) })).toEqual([['cost', 5001]]);
    });

    it('leaves variables that do not coerce to execution’s BAD_USER_INPUT', async () => {
      const { errors } = await run(twoLevels, { n: 'many' });
      expect(errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses an exponential fragment fan-out within the depth limit', async () => {
      // node + 10 levels + leaves = depth 12, within the limit; 3^10 leaf fragments once expanded.
      const levels = 11;
      const fragments = Array.from(
        { length: levels },
        (_, i) => `fragment F${i} on Node { ${i === levels - 1 ? 'id' : `child { ...F${i + 1} } parent { ...F${i + 1} } children(first: 1) { ...F${i + 1} }`} }`,
      ).join('\n');
      expect(await refusals(`{ node { ...F0 } }\n${fragments}`)).toEqual([['fields', 10_001]]);
    });
  });

  describe('field suggestions', () => {
    it('are shown in development and hidden in production', async () => {
      const { errors: dev } = await run('{ node { nme } }');
      expect(dev![0].message).toBe('Cannot query field "nme" on type "Node". Did you mean "name"?');
      const { apollo: production } = await server({ production: true });
      const { errors } = await run('{ node { nme } }', undefined, production);
      expect(errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(errors![0].message).toContain('Cannot query field "nme" on type "Node".');
      expect(errors![0].message).not.toMatch(/Did you mean|"name"/);
      await production.stop();
    });
  });

  describe('the document cache', () => {
    it('stays under its byte ceiling however many unique operations come', async () => {
      const ceiling = 20_000;
      const { apollo: bounded, guard } = await server({ cacheMaxBytes: ceiling });
      for (let i = 0; i < 200; i++) expect((await run(`query Unique${i} { node { id } }`, undefined, bounded)).errors).toBeUndefined();
      const held = guard.caches.documents.keys().length;
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThan(200); // older documents were evicted
      expect(await cacheBytes(guard.caches.documents)).toBeLessThanOrEqual(ceiling);
      await bounded.stop();
    });
  });

  it('rejects nonsensical limits', () => {
    expect(() => resolveQueryLimits({ maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => resolveQueryLimits({ maxCost: Number.NaN })).toThrow(/maxCost/);
    expect(resolveQueryLimits({ maxDepth: undefined }).maxDepth).toBe(12);
  });
});
