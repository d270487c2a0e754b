import { graphql, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import {
  checkCreditCode,
  creditCodeCheckChar,
  CreditCodeScalar,
  makeCreditCode,
  organizationCodeCheckChar,
  parseCreditCode,
} from '../../platform/credit-code';
import { AppError, ErrorCode } from '../../platform/errors';

/**
 * Published codes of well-known companies, each checked by hand against GB 32100 (position 18)
 * and GB 11714 (position 17) before being listed here.
 */
const REAL_CODES: [company: string, code: string][] = [
  ['华为技术有限公司', '914403001922038216'],
  ['深圳市腾讯计算机系统有限公司', '91440300708461136T'],
  ['小米科技有限责任公司', '91110108551385082Q'],
  ['阿里巴巴（中国）有限公司', '91330100716105852F'],
  ['比亚迪股份有限公司', '91440300192317458F'],
  ['百度在线网络技术（北京）有限公司', '91110000802100433B'],
  ['中国工商银行股份有限公司', '91100000100003962T'],
  ['中航重机股份有限公司', '91520000214434146R'],
];

const HUAWEI = '914403001922038216';

function rejection(input: string): AppError {
  try {
    parseCreditCode(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe(ErrorCode.INVALID_CREDIT_CODE);
    expect(appError.extensions.code).toBe(ErrorCode.INVALID_CREDIT_CODE);
    expect(appError.extensions.value).toBe(input);
    return appError;
  }
  throw new Error(`expected "${input}" to be rejected`);
}

const replaceAt = (s: string, index: number, ch: string) => s.slice(0, index) + ch + s.slice(index + 1);

describe('checkCreditCode / parseCreditCode', () => {
  it.each(REAL_CODES)('accepts the real code of %s', (_company, code) => {
    expect(checkCreditCode(code)).toEqual({ ok: true, code });
    expect(parseCreditCode(code)).toBe(code);
  });

  it.each(REAL_CODES)('computes the same check chars as the real code of %s', (_company, code) => {
    expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code[17]);
    expect(organizationCodeCheckChar(code.slice(8, 16))).toBe(code[16]);
  });

  it('says which check char was expected when the last char is mistyped', () => {
    expect(rejection('914403001922038217').message).toBe('校验位错误：第18位应为“6”，实际为“7”，请核对是否输错');
  });

  it('rejects a code with one changed character in the middle', () => {
    expect(rejection(replaceAt(HUAWEI, 10, '3')).message).toMatch(/^校验位错误：第18位应为“.”，实际为“6”/);
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the unused letter %s and names its position', (letter) => {
    const message = rejection(replaceAt(HUAWEI, 9, letter)).message;
    expect(message).toContain(`第10位“${letter}”`);
    expect(message).toContain('不使用I、O、Z、S、V');
  });

  it('suggests the digit a user probably meant for O', () => {
    expect(rejection(replaceAt(HUAWEI, 9, 'O')).message).toContain('是否应为“0”');
  });

  it('rejects other characters, counting a Chinese character as one position', () => {
    expect(rejection(replaceAt(HUAWEI, 4, '-')).message).toContain('第5位“-”');
    expect(rejection(replaceAt(HUAWEI, 0, '码')).message).toContain('第1位“码”');
  });

  it.each([
    [HUAWEI.slice(0, 17), 17],
    [HUAWEI + '0', 19],
    ['91440300', 8],
  ])('rejects %s for its length', (input, length) => {
    expect(rejection(input).message).toBe(`统一社会信用代码应为18位，实际为${length}位`);
  });

  it.each(['', '   '])('rejects an empty value (%j)', (input) => {
    expect(rejection(input).message).toContain('不能为空');
  });

  it('normalizes what people type: lower case, surrounding blanks, full-width characters', () => {
    expect(parseCreditCode('91440300708461136t')).toBe('91440300708461136T');
    expect(parseCreditCode('  91110108551385082q\n')).toBe('91110108551385082Q');
    expect(parseCreditCode('９１４４０３００１９２２０３８２１６')).toBe(HUAWEI);
  });
});

describe('generating codes', () => {
  it('rebuilds a real code from its parts', () => {
    expect(makeCreditCode({ authority: '9', entityType: '1', regionCode: '440300', orgBody8: '19220382' })).toBe(HUAWEI);
  });

  it('uses X for 10 and 0 for 11 in the GB 11714 organization check', () => {
    expect(organizationCodeCheckChar('00000006')).toBe('X');
    expect(organizationCodeCheckChar('00000000')).toBe('0');
  });

  it('makes codes that pass validation, including "MA" organization codes', () => {
    const code = makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: 'MA35GK7L' });
    expect(checkCreditCode(code)).toEqual({ ok: true, code });
    expect(code.slice(0, 16)).toBe('91360732MA35GK7L');
  });

  it('refuses parts that cannot form a code', () => {
    expect(() => makeCreditCode({ authority: '9', entityType: '1', regionCode: '36073', orgBody8: 'MA35GK7L' })).toThrow(RangeError);
    expect(() => makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: 'MA35GK7O' })).toThrow(RangeError);
    expect(() => creditCodeCheckChar('9144')).toThrow(RangeError);
  });
});

describe('CreditCode scalar', () => {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        echo: {
          type: GraphQLString,
          args: { code: { type: new GraphQLNonNull(CreditCodeScalar) } },
          resolve: (_root, args: { code: string }) => args.code,
        },
      },
    }),
  });

  const run = (source: string, variableValues?: Record<string, unknown>) => graphql({ schema, source, variableValues });

  /** graphql-js may report the scalar's AppError itself or wrap it; either way the code must survive. */
  function onlyError(result: Awaited<ReturnType<typeof run>>) {
    expect(result.errors).toHaveLength(1);
    const error = result.errors![0];
    expect(error.extensions.code).toBe(ErrorCode.INVALID_CREDIT_CODE);
    const original = error instanceof AppError ? error : error.originalError;
    expect(original).toBeInstanceOf(AppError);
    return error;
  }

  it('is named CreditCode and documents the standard', () => {
    expect(CreditCodeScalar.name).toBe('CreditCode');
    expect(CreditCodeScalar.description).toContain('GB 32100-2015');
  });

  it('normalizes a valid literal', async () => {
    const result = await run('{ echo(code: "91440300708461136t") }');
    expect(result).toEqual({ data: { echo: '91440300708461136T' } });
  });

  it('normalizes a valid variable', async () => {
    const result = await run('query ($c: CreditCode!) { echo(code: $c) }', { c: ' 91110108551385082q ' });
    expect(result).toEqual({ data: { echo: '91110108551385082Q' } });
  });

  it('refuses an int literal, saying it must be a string', async () => {
    const error = onlyError(await run('{ echo(code: 914403001922038216) }'));
    expect(error.message).toContain('必须以字符串形式传入');
  });

  it('refuses a variable with a wrong check char', async () => {
    const error = onlyError(await run('query ($c: CreditCode!) { echo(code: $c) }', { c: '914403001922038217' }));
    expect(error.message).toContain('校验位错误：第18位应为“6”，实际为“7”');
  });

  it('refuses a numeric variable', async () => {
    const error = onlyError(await run('query ($c: CreditCode!) { echo(code: $c) }', { c: 914403001922038216 }));
    expect(error.message).toContain('必须以字符串形式传入');
  });

  it('serializes the stored string as is', () => {
    expect(CreditCodeScalar.serialize(HUAWEI)).toBe(HUAWEI);
  });
});
