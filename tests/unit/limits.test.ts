import { GraphQLError, buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { AppError } from '../../platform/errors';
import { DEFAULT_QUERY_LIMITS, createLimitRules, type QueryLimits } from '../../gateway/limits';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    node: Node
    nodes(first: Int, last: Int): [Node!]!
    items(first: Int = 20, after: String): ItemConnection!
  }
  type Node {
    id: ID!
    name: String
    tags: [String!]!
    child: Node
    children(first: Int): [Node!]!
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

const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, maxDepth: 12, maxAliases: 30, maxCost: 5000, defaultListSize: 20 };

function check(query: string, l: QueryLimits = limits): readonly GraphQLError[] {
  return validate(schema, parse(query), [...specifiedRules, ...createLimitRules(l)]);
}

const tooComplex = (errors: readonly GraphQLError[]) =>
  errors.filter((e) => e.extensions.code === 'QUERY_TOO_COMPLEX');

/** `{ node { child { … { id } } } }` with exactly `depth` levels of fields. */
function nested(depth: number): string {
  let inner = 'id';
  for (let level = depth - 1; level >= 2; level--) inner = `child { ${inner} }`;
  return `{ node { ${inner} } }`;
}

describe('createLimitRules', () => {
  it('passes an ordinary query', () => {
    const errors = check(`
      query Dashboard {
        node { id name tags children(first: 10) { id name } }
        items(first: 20) { totalCount pageInfo { hasNextPage endCursor } nodes { id __typename } }
      }`);
    expect(errors).toEqual([]);
  });

  describe('depth', () => {
    it('allows exactly the maximum', () => {
      expect(check(nested(12))).toEqual([]);
    });

    it('refuses one level more, once, with the details', () => {
      const errors = check(nested(13));
      expect(errors).toHaveLength(1);
      const [error] = errors;
      expect(error.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 12, actual: 13 });
      expect(error.message).toBe('查询嵌套过深：深度 13 超过上限 12，请减少嵌套层级或拆分查询');
      expect(error.locations).toEqual([{ line: 1, column: 1 }]);
      // Carries the project's AppError for formatError to lift after Apollo re-codes it.
      expect(error.originalError).toBeInstanceOf(AppError);
    });

    it('counts levels inside fragment spreads and inline fragments', () => {
      const query = `
        { node { ...A } }
        fragment A on Node { child { ... on Node { child { ...B } } } }
        fragment B on Node { child { child { child { ...C } } } }
        fragment C on Node { child { child { child { child { child { child { id } } } } } } }
      `;
      // node(1) + 2 in A + 3 in B + 6 child + id = 13
      const [error, ...rest] = tooComplex(check(query));
      expect(rest).toEqual([]);
      expect(error.extensions).toMatchObject({ limit: 'depth', actual: 13 });
    });

    it('reports each violation once per operation', () => {
      const deep = nested(14).slice(1, -1);
      const errors = check(`query One { a: ${deep.trim()} b: ${deep.trim()} } query Two { ${deep} }`);
      expect(tooComplex(errors).map((e) => [e.extensions.limit, e.extensions.actual])).toEqual([
        ['depth', 14],
        ['depth', 14],
      ]);
    });
  });

  describe('aliases', () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: node { id }`).join(' ')} }`;

    it('allows 30 aliases', () => {
      expect(check(aliased(30))).toEqual([]);
    });

    it('refuses 31 aliases', () => {
      const errors = check(aliased(31));
      expect(errors).toHaveLength(1);
      expect(errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, actual: 31 });
      expect(errors[0].message).toContain('别名');
    });

    it('counts aliases in fragments each time they are spread', () => {
      const fields = Array.from({ length: 8 }, (_, i) => `x${i}: id`).join(' ');
      const errors = check(`{ node { ...F child { ...F child { ...F child { ...F } } } } } fragment F on Node { ${fields} }`);
      expect(tooComplex(errors).map((e) => e.extensions)).toEqual([
        { code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, actual: 32 },
      ]);
    });
  });

  describe('cost', () => {
    it('passes nested lists with small pages', () => {
      // 1 + 10 × (1 + 10 × 1) = 111
      expect(check(`{ nodes(first: 10) { children(first: 10) { id } } }`)).toEqual([]);
    });

    it('refuses first: 1000 nested twice', () => {
      const errors = check(`{ nodes(first: 1000) { children(first: 1000) { id } } }`);
      expect(errors).toHaveLength(1);
      expect(errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 5000, actual: 1_001_001 });
      expect(errors[0].message).toContain('查询代价过高');
    });

    it('uses last and limit too, and the largest page argument', () => {
      expect(tooComplex(check(`{ nodes(last: 1000) { children(first: 1000) { id } } }`))).toHaveLength(1);
      expect(tooComplex(check(`{ nodes(first: 1, last: 1000) { children(first: 1000) { id } } }`))).toHaveLength(1);
      expect(tooComplex(check(`{ items(first: 100) { nodes { related(limit: 1000) { id } } } }`))).toHaveLength(1);
    });

    it('uses a variable’s default, else defaultListSize', () => {
      const withDefault = check(`query($n: Int = 1000) { nodes(first: $n) { children(first: $n) { id } } }`);
      expect(tooComplex(withDefault).map((e) => e.extensions.actual)).toEqual([1_001_001]);
      // 1 + 20 × (1 + 20 × 1) = 421
      expect(check(`query($n: Int) { nodes(first: $n) { children(first: $n) { id } } }`)).toEqual([]);
      const small = { ...limits, maxCost: 420 };
      expect(tooComplex(check(`query($n: Int) { nodes(first: $n) { children(first: $n) { id } } }`, small))).toHaveLength(1);
    });

    it('multiplies a list without a page argument by defaultListSize', () => {
      // 1 + 20 × (1 + 20 × (1 + 20 × 1)) = 8421
      const errors = check(`{ nodes { children { children { id } } } }`);
      expect(tooComplex(errors).map((e) => e.extensions.actual)).toEqual([8421]);
    });

    it('multiplies a connection by first, not its nodes/edges again', () => {
      // items: 1 + 100 × (totalCount 1 + nodes (1 + 1 × (id 1 + __typename 0)) + edges (1 + 1 × (cursor 1 + node (1 + 1)))) = 701
      const query = `{ items(first: 100) { totalCount nodes { id __typename } edges { cursor node { id } } } }`;
      expect(check(query)).toEqual([]);
      expect(tooComplex(check(query, { ...limits, maxCost: 700 })).map((e) => e.extensions.actual)).toEqual([701]);
      // The schema default (first = 20) applies when first is omitted: 1 + 20 × 2 = 41.
      expect(tooComplex(check(`{ items { nodes { id } } }`, { ...limits, maxCost: 40 })).map((e) => e.extensions.actual)).toEqual([41]);
    });

    it('counts a fragment’s cost wherever it is spread', () => {
      const errors = check(`
        { nodes(first: 50) { ...Kids } }
        fragment Kids on Node { children(first: 50) { ...Leaf } }
        fragment Leaf on Node { id name }
      `);
      // 1 + 50 × (1 + 50 × 2) = 5051
      expect(tooComplex(errors).map((e) => e.extensions.actual)).toEqual([5051]);
    });
  });

  it('lets the introspection query through', () => {
    expect(check(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }))).toEqual([]);
    expect(check(getIntrospectionQuery())).toEqual([]);
  });

  it('still counts depth and cost outside __type', () => {
    const query = nested(13).replace('{ node', '{ __type(name: "Node") { name fields { name type { name } } } node');
    expect(tooComplex(check(query)).map((e) => e.extensions.limit)).toEqual(['depth']);
  });

  it('terminates on fragment cycles (graphql reports them)', () => {
    const errors = check(`
      { node { ...A } }
      fragment A on Node { child { ...B } }
      fragment B on Node { child { ...A id } }
      fragment Self on Node { ...Self }
    `);
    expect(errors.some((e) => /Cannot spread fragment "A" within itself/.test(e.message))).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('survives invalid documents (unknown fields, types, fragments)', () => {
    const errors = check(`{ nope { x } node { ...Missing ... on Nowhere { y } child(first: 3) { id } } }`);
    expect(errors.length).toBeGreaterThan(0);
    expect(tooComplex(errors)).toEqual([]);
  });

  it('stays fast on an exponential fragment fan-out', () => {
    const levels = 30;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Node { ${i === levels - 1 ? 'id' : `child { ...F${i + 1} } a${i}: child { ...F${i + 1} }`} }`,
    ).join('\n');
    const started = Date.now();
    const errors = tooComplex(check(`{ node { ...F0 } }\n${fragments}`));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(errors.map((e) => e.extensions.limit)).toEqual(['depth', 'aliases', 'cost']);
  });

  it('rejects nonsensical limits', () => {
    expect(() => createLimitRules({ ...limits, maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => createLimitRules({ ...limits, maxCost: Number.NaN })).toThrow(/maxCost/);
  });
});
