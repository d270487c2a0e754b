import { validate } from 'class-validator';
import { echo, problemsFromValidation, safeForLog } from '../../platform/errors';
import { CalendarDate, IntRange, SafeText, unsafeTextProblem } from '../../subgraphs/kit/validation';
import { likeContains } from '../../subgraphs/enterprises/enterprise.resolver';

class Sample {
  @SafeText({ label: '名称', min: 2, max: 5 })
  name?: unknown;

  @CalendarDate({ label: '日期', min: '1949-10-01', max: '2026-12-31' })
  on?: unknown;

  @IntRange('条数', 1, 100)
  first?: unknown;
}

const problems = async (values: Partial<Sample>) => problemsFromValidation(await validate(Object.assign(new Sample(), values)));

describe('input rules (kit/validation.ts)', () => {
  test('control, zero-width, bidi and lone surrogate characters are refused, ordinary Chinese is not', () => {
    for (const bad of ['a\u0000', 'a\u0007', '\u0085', 'a\u200Bb', '\u2060', '\uFEFF', '\u202Ex', '\u2066', '\uD800']) {
      expect(unsafeTextProblem(bad)).toEqual(expect.stringMatching(/U\+[0-9A-F]{4}/));
    }
    expect(unsafeTextProblem('兴国县华宇电子科技有限公司（分公司）·№1 — Ω')).toBeUndefined();
  });

  test('every problem at once, each with its field', async () => {
    expect(await problems({ name: 'x', on: '2023-02-30', first: 0 })).toEqual([
      { field: 'name', message: '名称应为2–5个字符，收到1个' },
      { field: 'on', message: '日期应为 YYYY-MM-DD 格式的有效日期，收到“2023-02-30”' },
      { field: 'first', message: '条数应为 1 到 100 之间的整数，收到 0' },
    ]);
    expect(await problems({ name: '王五', on: '2024-02-29', first: 100 })).toEqual([]);
    expect((await problems({ on: '1900-01-01' }))[0].message).toMatch(/不能早于 1949-10-01/);
    expect((await problems({ name: '一二三四五六' }))[0].field).toBe('name');
  });

  test('a refused value is quoted by a short prefix, control characters spelled out', () => {
    expect(echo('9'.repeat(100))).toBe('9'.repeat(32) + '…');
    expect(echo('a\u0000b')).toBe('aU+0000b');
    expect(echo(12)).toBe('12');
  });

  test("LIKE patterns escape the wildcards and the escape character", () => {
    expect(likeContains('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });

  test('a database error is logged without its SQL, parameters or detail', () => {
    const driver = Object.assign(new Error("insert into enterprise values ('360732198001010011') - duplicate key"), {
      name: 'UniqueConstraintViolationException',
      code: '23505',
      detail: 'Key (name)=(x) already exists.',
      constraint: 'enterprise_name_unique',
    });
    const safe = safeForLog(driver) as Error & Record<string, unknown>;
    expect(JSON.stringify({ ...safe, message: safe.message, stack: safe.stack })).not.toMatch(/360732198001010011|insert|Key \(name\)/);
    expect(safe).toMatchObject({ code: '23505', constraint: 'enterprise_name_unique' });
    const plain = new Error('boom');
    expect(safeForLog(plain)).toBe(plain);
  });
});
