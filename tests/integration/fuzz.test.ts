import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { describeDb } from '../support/db';
import { postGraphql, startTestGraph, type TestGraph } from '../support/graph';

/**
 * No input of any shape produces an undocumented error: random strings (NUL, bidi, zero-width,
 * huge, any Unicode), dates and numbers as variables at every argument of every operation the
 * gateway serves, as several callers. The operations are read from the served schema, so a new
 * subgraph's operations are fuzzed without touching this file.
 */

/** The codes the README's error table documents, minus those that mean something broke. */
const documentedCodes = (() => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Errors'), readme.indexOf('\n## ', readme.indexOf('## Errors') + 1));
  const codes = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
  expect(codes).toContain('BAD_USER_INPUT');
  return new Set(codes.filter((c) => c !== 'INTERNAL_SERVER_ERROR' && c !== 'SUBGRAPH_UNAVAILABLE'));
})();

const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\u202Eabc', 'ab\u200Bc', '\u2066x\u2069', '\uFEFF', '\uD800', "'", "' or '1'='1", '%', '_', '\\', '\\%', '%_%', 'null', '-1'),
  fc.constantFrom('360732', '360731', '000000', '999999', 'C39', 'C', 'Z99', '360732-TAX', '91360732MA35G8KX2Q', 'k:'),
  fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: -1, max: 99 }), fc.integer({ min: -1, max: 99 })).map(([y, m, d]) => `${y}-${m}-${d}`),
  fc.string({ unit: 'binary', minLength: 300, maxLength: 400 }).map((s) => s.repeat(50)), // ~20,000 characters
);
const nastyNumber = fc.oneof(fc.integer(), fc.integer({ min: -1, max: 600 }), fc.double(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER));

function valueFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return fc.oneof({ arbitrary: valueFor(type.ofType, depth), weight: 19 }, { arbitrary: fc.constant(null), weight: 1 });
  if (isListType(type)) return fc.array(valueFor(type.ofType, depth + 1), { maxLength: depth > 2 ? 0 : 4 });
  if (isEnumType(type)) return fc.oneof(fc.constantFrom(...type.getValues().map((v) => v.name)), nastyString);
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const shape = Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, depth + 1)]));
    return fc.record(shape, { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) });
  }
  switch (getNamedType(type).name) {
    case 'Int':
    case 'Float':
      return fc.oneof(nastyNumber, nastyString);
    case 'Boolean':
      return fc.oneof(fc.boolean(), nastyNumber);
    default: // String, ID, CreditCode, Fen and any scalar a subgraph adds
      return fc.oneof({ arbitrary: nastyString, weight: 4 }, { arbitrary: nastyNumber, weight: 1 });
  }
}

function operationsOf(schema: GraphQLSchema) {
  const roots = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const;
  return roots.flatMap(([kind, root]) =>
    Object.values(root?.getFields() ?? {})
      .filter((field: GraphQLField<unknown, unknown>) => field.args.length > 0 && !field.name.startsWith('_'))
      .map((field) => {
        const args = field.args as readonly GraphQLArgument[];
        const declared = args.map((a) => `$${a.name}: ${a.type}`).join(', ');
        const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
        const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
        return {
          name: `${kind} ${field.name}`,
          document: `${kind}(${declared}) { ${field.name}(${passed})${selection} }`,
          variables: fc.record(Object.fromEntries(args.map((a) => [a.name, valueFor(a.type)])), { requiredKeys: [] }),
        };
      }),
  );
}

describeDb('random inputs at every argument of every operation', () => {
  let graph: TestGraph;
  let schema: GraphQLSchema;
  const tokens: (string | undefined)[] = [undefined];

  beforeAll(async () => {
    graph = await startTestGraph();
    const { body } = await graph.query(getIntrospectionQuery());
    schema = buildClientSchema(body.data);
    for (const claims of [
      { role: 'AUDITOR' },
      { role: 'ADMIN', region: '360700' },
      { role: 'DEPARTMENT_SYSTEM', department: '360732-SAMR', region: '360732' },
      { role: 'WINDOW_CLERK', region: '360732' },
    ]) {
      tokens.push(await graph.token(claims));
    }
  });
  afterAll(() => graph?.stop());

  test('only documented error codes come back', async () => {
    const operations = operationsOf(schema);
    expect(operations.map((o) => o.name)).toEqual(expect.arrayContaining(['query enterprise', 'query enterprises', 'query taxpayers', 'mutation registerEnterprise']));
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(operation.variables, fc.constantFrom(...tokens), async (variables, token) => {
          const { status, body } = await graph.query(operation.document, variables, token);
          const codes = (body.errors ?? []).map((e: any) => e.extensions?.code);
          const undocumented = codes.filter((c: unknown) => !documentedCodes.has(c as string));
          if (undocumented.length || ![200, 400].includes(status)) {
            throw new Error(`${operation.name} answered ${status} ${JSON.stringify(body.errors).slice(0, 500)}`);
          }
        }),
        { numRuns: 25 },
      );
    }
    // 25 runs of every operation of the API: it grows with the API (about a minute since issue 8).
  }, 240_000);

  /**
   * `_entities` representations are `_Any`: whatever a caller puts in a key reaches the reference
   * resolver. Sent straight to each subgraph without an identity (the answer is the public's, or a
   * refusal): still only documented codes. Entity types and keys come from the committed SDL.
   */
  test('random keys in _entities representations at every subgraph', async () => {
    for (const name of Object.keys(graph.subgraphs)) {
      const sdl = readFileSync(join(__dirname, '..', '..', 'schema', 'subgraphs', `${name}.graphql`), 'utf8');
      const entities = [...sdl.matchAll(/type (\w+)[^{]*@key\(fields: "(\w+)"/g)].map((m) => ({ type: m[1], key: m[2] }));
      // A subgraph with no entity of its own (the audit trail) has no representations to fuzz.
      if (!entities.length) continue;
      const representation = fc.oneof(...entities.map(({ type, key }) => fc.record({ __typename: fc.constant(type), [key]: fc.oneof(nastyString, nastyNumber, fc.constant(null), fc.object()) })));
      await fc.assert(
        fc.asyncProperty(fc.array(representation, { minLength: 1, maxLength: 3 }), async (representations) => {
          const { status, body } = await postGraphql(graph.subgraphs[name].http.url, {
            query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
            variables: { r: representations },
          });
          const undocumented = (body.errors ?? []).map((e: any) => e.extensions?.code).filter((c: unknown) => !documentedCodes.has(c as string));
          if (undocumented.length || ![200, 400, 401].includes(status)) throw new Error(`${name} _entities answered ${status} ${JSON.stringify(body.errors).slice(0, 500)}`);
        }),
        { numRuns: 40 },
      );
    }
  });
});
