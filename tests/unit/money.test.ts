import { graphql, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, Kind, parseValue } from 'graphql';
import { FenScalar } from '../../subgraphs/kit/money';

const REFUSAL = '金额必须是以“分”为单位的整数';
const UNSAFE = 2 ** 53; // Number.MAX_SAFE_INTEGER + 1: the first integer a double cannot tell from its neighbour

describe('Fen, unit by unit', () => {
  it.each([
    ['a fraction', 1.5],
    ['a tiny fraction', 0.1 + 0.2],
    ['a string of digits', '100'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['an unsafe integer', UNSAFE],
    ['a negative unsafe integer', -UNSAFE],
    ['a boolean', true],
    ['null', null],
    ['an object', { fen: 1 }],
  ])('refuses %s as a variable value', (_what, value) => {
    expect(() => FenScalar.parseValue(value)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining(REFUSAL) }));
  });

  it.each([
    ['a float', '1.5'],
    ['a float without fraction', '100.0'],
    ['an exponent', '1e3'],
    ['a string', '"100"'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['an unsafe integer', '9007199254740993'],
    ['a negative unsafe integer', '-9007199254740992'],
  ])('refuses %s as a literal', (_what, literal) => {
    expect(() => FenScalar.parseLiteral(parseValue(literal), undefined)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining(REFUSAL) }));
  });

  it('names an unsafe literal as written, not as a double rounded it', () => {
    expect(() => FenScalar.parseLiteral({ kind: Kind.INT, value: '9007199254740993' }, undefined)).toThrow('收到：9007199254740993');
  });

  it.each([0, -1, 100, 2 ** 31, 10_000_000_000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])('takes the integer %p, beyond Int too', (fen) => {
    expect(FenScalar.parseValue(fen)).toBe(fen);
    expect(FenScalar.parseLiteral(parseValue(String(fen)), undefined)).toBe(fen);
    expect(FenScalar.serialize(fen)).toBe(fen);
  });

  it('serializes what a database returns for bigint (a string of digits), and nothing that is not an integer', () => {
    expect(FenScalar.serialize('123456789012')).toBe(123456789012);
    for (const bad of [1.5, 'abc', '1.5', Number.NaN, String(UNSAFE)]) expect(() => FenScalar.serialize(bad)).toThrow(REFUSAL);
  });
});

/** No field of the graph takes Fen input yet: a schema of one field shows what graphql-js makes of the refusals. */
describe('Fen through a schema', () => {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        echo: { type: new GraphQLNonNull(FenScalar), args: { amount: { type: new GraphQLNonNull(FenScalar) } }, resolve: (_root, { amount }) => amount },
        broken: { type: FenScalar, resolve: () => 99.5 },
      },
    }),
  });
  const run = (source: string, variableValues?: Record<string, unknown>) => graphql({ schema, source, variableValues });

  it.each(['1.5', '"100"', 'Infinity', '9007199254740993'])('refuses the literal %s before resolving anything', async (literal) => {
    const result = await run(`{ echo(amount: ${literal}) }`);
    expect(result.data).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(result.errors![0].message).toContain(REFUSAL);
  });

  it.each([1.5, '100', Number.NaN, Number.POSITIVE_INFINITY, UNSAFE])('refuses the variable %p before resolving anything', async (amount) => {
    const result = await run('query($a: Fen!) { echo(amount: $a) }', { a: amount });
    expect(result.data).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(result.errors![0].message).toMatch(/^Variable "\$a" got invalid value .*金额必须是以“分”为单位的整数/);
  });

  it('passes a safe integer through, literal or variable', async () => {
    expect(await run('{ echo(amount: 9007199254740991) }')).toEqual({ data: { echo: Number.MAX_SAFE_INTEGER } });
    expect(await run('query($a: Fen!) { echo(amount: $a) }', { a: -250 })).toEqual({ data: { echo: -250 } });
  });

  it('never rounds a float on the way out', async () => {
    const result = await run('{ broken }');
    expect(result.data).toEqual({ broken: null });
    expect(result.errors![0].message).toContain(REFUSAL);
  });
});
