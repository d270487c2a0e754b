import { isWorkday as packageIsWorkday } from 'chinese-days';
import { AppError, ErrorCode } from '../../platform/errors';
import {
  addWorkdays,
  dayKind,
  isWorkday,
  isYearPublished,
  MAX_WORKDAYS,
  nextWorkday,
  publishedYears,
  toChinaDate,
  workdaysBetween,
} from '../../subgraphs/kit/calendar';

/** Runs `fn`, expecting an AppError; returns it so the test can check code and extensions. */
function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

const kindOf = (date: string) => {
  const { kind, holidayName } = dayKind(date);
  return holidayName === undefined ? kind : `${kind} ${holidayName}`;
};

/** Every date from `from` to `to` inclusive. */
function datesFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

describe('published years', () => {
  it('come from the package data: 2004–2026 in chinese-days 1.5.7', () => {
    // When a package update ships the 2027 notice, review the 2027 expectations below.
    expect(publishedYears()).toEqual(Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i));
    expect(isYearPublished(2025)).toBe(true);
    expect(isYearPublished(2026)).toBe(true);
    expect(isYearPublished(2027)).toBe(false);
    expect(isYearPublished(2003)).toBe(false);
  });

  it('agree with the package day by day wherever the package has data', () => {
    // Guards the Set-based rewrite against the package's own reading of the same data.
    const mismatches = datesFrom('2004-01-01', '2026-12-31').filter((d) => isWorkday(d) !== packageIsWorkday(d));
    expect(mismatches).toEqual([]);
  });
});

describe('2025 春节: off 01-28 … 02-04, make-up Sun 01-26 and Sat 02-08', () => {
  it('classifies the days', () => {
    expect(kindOf('2025-01-25')).toBe('WEEKEND');
    expect(kindOf('2025-01-26')).toBe('MAKEUP_WORKDAY 春节');
    expect(kindOf('2025-01-27')).toBe('WORKDAY');
    for (const d of datesFrom('2025-01-28', '2025-02-04')) expect(kindOf(d)).toBe('HOLIDAY 春节');
    expect(kindOf('2025-02-05')).toBe('WORKDAY');
    expect(kindOf('2025-02-08')).toBe('MAKEUP_WORKDAY 春节');
    expect(kindOf('2025-02-09')).toBe('WEEKEND');
    expect(dayKind('2025-01-26')).toEqual({
      date: '2025-01-26',
      workday: true,
      kind: 'MAKEUP_WORKDAY',
      holidayName: '春节',
    });
    expect(dayKind('2025-02-03')).toEqual({ date: '2025-02-03', workday: false, kind: 'HOLIDAY', holidayName: '春节' });
  });

  it('counts working days across it', () => {
    // Fri 01-24 + 5: Sun 01-26 (1), Mon 01-27 (2), 02-05 (3), 02-06 (4), 02-07 (5).
    expect(addWorkdays('2025-01-24', 5)).toBe('2025-02-07');
    // Mon 01-27 + 4: 02-05, 02-06, 02-07, then Sat 02-08 is a make-up workday.
    expect(addWorkdays('2025-01-27', 4)).toBe('2025-02-08');
    expect(nextWorkday('2025-01-27')).toBe('2025-02-05');
    // (01-24, 02-10]: 01-26, 01-27, 02-05, 02-06, 02-07, 02-08, 02-10.
    expect(workdaysBetween('2025-01-24', '2025-02-10')).toBe(7);
  });
});

describe('2025 国庆节、中秋节: off 10-01 … 10-08, make-up Sun 09-28 and Sat 10-11', () => {
  it('classifies the days', () => {
    expect(kindOf('2025-09-27')).toBe('WEEKEND');
    expect(kindOf('2025-09-28')).toBe('MAKEUP_WORKDAY 国庆节');
    for (const d of datesFrom('2025-10-01', '2025-10-08')) {
      // The package labels 10-06 (the Mid-Autumn day itself) 中秋; the rest of the span 国庆节.
      expect(kindOf(d)).toBe(d === '2025-10-06' ? 'HOLIDAY 中秋' : 'HOLIDAY 国庆节');
    }
    expect(kindOf('2025-10-09')).toBe('WORKDAY');
    expect(kindOf('2025-10-11')).toBe('MAKEUP_WORKDAY 国庆节');
    expect(kindOf('2025-10-12')).toBe('WEEKEND');
  });

  it('counts working days across it', () => {
    // The "1 working day" payment rule: Tue 09-30 → the holiday runs to 10-08 → Thu 10-09.
    expect(addWorkdays('2025-09-30', 1)).toBe('2025-10-09');
    // Fri 09-26 + 1 is the make-up Sunday.
    expect(addWorkdays('2025-09-26', 1)).toBe('2025-09-28');
    // Fri 09-26 + 5: 09-28, 09-29, 09-30, 10-09, 10-10; + 6 lands on make-up Sat 10-11.
    expect(addWorkdays('2025-09-26', 5)).toBe('2025-10-10');
    expect(addWorkdays('2025-09-26', 6)).toBe('2025-10-11');
    expect(workdaysBetween('2025-09-30', '2025-10-08')).toBe(0);
    expect(workdaysBetween('2025-09-30', '2025-10-12')).toBe(3);
  });
});

describe('2026 春节: off 02-15 … 02-23, make-up Sat 02-14 and Sat 02-28', () => {
  it('classifies the days', () => {
    expect(kindOf('2026-02-13')).toBe('WORKDAY');
    expect(kindOf('2026-02-14')).toBe('MAKEUP_WORKDAY 春节');
    for (const d of datesFrom('2026-02-15', '2026-02-23')) expect(kindOf(d)).toBe('HOLIDAY 春节');
    expect(kindOf('2026-02-24')).toBe('WORKDAY');
    expect(kindOf('2026-02-28')).toBe('MAKEUP_WORKDAY 春节');
    expect(kindOf('2026-03-01')).toBe('WEEKEND');
    expect(isWorkday('2026-02-14')).toBe(true); // a Saturday
    expect(isWorkday('2026-02-16')).toBe(false); // a Monday
  });

  it('counts working days across it', () => {
    // Received Fri 02-13, 5 working days: Sat 02-14 (1), 02-24 (2), 02-25 (3), 02-26 (4), 02-27 (5).
    expect(addWorkdays('2026-02-13', 5)).toBe('2026-02-27');
    expect(addWorkdays('2026-02-13', 6)).toBe('2026-02-28');
    expect(addWorkdays('2026-02-13', 7)).toBe('2026-03-02');
    expect(nextWorkday('2026-02-13')).toBe('2026-02-14');
    expect(nextWorkday('2026-02-14')).toBe('2026-02-24');
    expect(workdaysBetween('2026-02-13', '2026-02-27')).toBe(5);
    expect(workdaysBetween('2026-02-14', '2026-02-23')).toBe(0);
  });

  it('n = 0 is the day itself if a workday, else the next one', () => {
    expect(addWorkdays('2026-02-13', 0)).toBe('2026-02-13');
    expect(addWorkdays('2026-02-14', 0)).toBe('2026-02-14');
    expect(addWorkdays('2026-02-15', 0)).toBe('2026-02-24');
  });
});

describe('2026 国庆节: off 10-01 … 10-07, make-up Sun 09-20 and Sat 10-10 (中秋 09-25 … 09-27 separate)', () => {
  it('classifies the days', () => {
    expect(kindOf('2026-09-19')).toBe('WEEKEND');
    expect(kindOf('2026-09-20')).toBe('MAKEUP_WORKDAY 国庆节');
    for (const d of datesFrom('2026-09-25', '2026-09-27')) expect(kindOf(d)).toBe('HOLIDAY 中秋');
    for (const d of datesFrom('2026-10-01', '2026-10-07')) expect(kindOf(d)).toBe('HOLIDAY 国庆节');
    expect(kindOf('2026-10-08')).toBe('WORKDAY');
    expect(kindOf('2026-10-10')).toBe('MAKEUP_WORKDAY 国庆节');
    expect(kindOf('2026-10-11')).toBe('WEEKEND');
  });

  it('counts working days across it', () => {
    expect(addWorkdays('2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkdays('2026-09-18', 1)).toBe('2026-09-20');
    // Thu 09-24 + 5: 中秋 off, 09-28 (1), 09-29 (2), 09-30 (3), 国庆 off, 10-08 (4), 10-09 (5).
    expect(addWorkdays('2026-09-24', 5)).toBe('2026-10-09');
    expect(addWorkdays('2026-09-24', 6)).toBe('2026-10-10');
    // (09-18, 10-11]: 09-20, 09-21…24, 09-28…30, 10-08, 10-09, 10-10.
    expect(workdaysBetween('2026-09-18', '2026-10-11')).toBe(11);
  });
});

describe('workdaysBetween', () => {
  it('is 0 when to ≤ from', () => {
    expect(workdaysBetween('2026-03-02', '2026-03-02')).toBe(0);
    expect(workdaysBetween('2026-03-10', '2026-03-02')).toBe(0);
  });

  it('inverts addWorkdays', () => {
    for (const start of ['2025-01-24', '2025-09-26', '2026-02-13', '2026-09-18']) {
      for (const n of [1, 3, 5, 10, 20]) expect(workdaysBetween(start, addWorkdays(start, n))).toBe(n);
    }
  });
});

describe('unpublished years', () => {
  const expectNotPublished = (fn: () => unknown, year: number) => {
    const error = appErrorOf(fn);
    expect(error.extensions.code).toBe(ErrorCode.CALENDAR_NOT_PUBLISHED);
    expect(error.extensions.year).toBe(year);
    expect(error.message).toContain(String(year));
  };

  it('refuses a date in a year without a loaded notice', () => {
    expectNotPublished(() => isWorkday('2027-03-01'), 2027);
    expectNotPublished(() => dayKind('2027-01-01'), 2027);
    expectNotPublished(() => isWorkday('2003-12-31'), 2003);
    expectNotPublished(() => nextWorkday('2027-06-01'), 2027);
  });

  it('refuses when counting runs past the last published year', () => {
    // Wed 2026-12-30 + 5: 12-31 (1), then 2027-01-01 cannot be classified.
    expectNotPublished(() => addWorkdays('2026-12-30', 5), 2027);
    expectNotPublished(() => nextWorkday('2026-12-31'), 2027);
    expectNotPublished(() => workdaysBetween('2026-12-01', '2027-01-05'), 2027);
    expect(addWorkdays('2026-12-30', 1)).toBe('2026-12-31');
  });

  it('still works at the first published day', () => {
    expect(kindOf('2004-01-01')).toBe('HOLIDAY 元旦');
  });
});

describe('input validation', () => {
  it.each([
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-2-3',
    '20260203',
    '2026/02/03',
    ' 2026-02-03',
    '2026-02-03T00:00:00Z',
    '',
  ])('rejects date %p', (date) => {
    const error = appErrorOf(() => dayKind(date));
    expect(error.extensions.code).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it('accepts a leap day', () => {
    expect(kindOf('2024-02-29')).toBe('WORKDAY');
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_WORKDAYS + 1])('rejects n = %p', (n) => {
    expect(appErrorOf(() => addWorkdays('2026-03-02', n)).extensions.code).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it('validates both ends of workdaysBetween', () => {
    expect(appErrorOf(() => workdaysBetween('2026-03-02', '2026-02-30')).extensions.code).toBe(
      ErrorCode.BAD_USER_INPUT,
    );
  });

  it('allows n up to the bound', () => {
    expect(workdaysBetween('2010-01-04', addWorkdays('2010-01-04', MAX_WORKDAYS))).toBe(MAX_WORKDAYS);
  });
});

describe('toChinaDate', () => {
  it('converts an instant to the Asia/Shanghai calendar date', () => {
    expect(toChinaDate(new Date('2026-01-31T16:30:00Z'))).toBe('2026-02-01');
    expect(toChinaDate(new Date('2026-01-31T15:59:59.999Z'))).toBe('2026-01-31');
    expect(toChinaDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(toChinaDate(new Date('2026-02-01T00:00:00+08:00'))).toBe('2026-02-01');
  });

  it('rejects an invalid Date', () => {
    expect(appErrorOf(() => toChinaDate(new Date('not a date'))).extensions.code).toBe(ErrorCode.BAD_USER_INPUT);
  });
});
