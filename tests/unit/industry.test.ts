import { findIndustry, INDUSTRY_DIVISIONS, INDUSTRY_SECTIONS, isIndustryCode } from '../../subgraphs/kit/industry';

describe('GB/T 4754-2017 industries', () => {
  it('has the 20 sections A–T', () => {
    expect(INDUSTRY_SECTIONS.map((s) => s.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST');
    expect(INDUSTRY_SECTIONS.find((s) => s.code === 'C')?.name).toBe('制造业');
    expect(INDUSTRY_SECTIONS.find((s) => s.code === 'I')?.name).toBe('信息传输、软件和信息技术服务业');
  });

  it('has exactly 97 divisions, numbered 01–97 without gaps', () => {
    expect(INDUSTRY_DIVISIONS).toHaveLength(97);
    expect(INDUSTRY_DIVISIONS.map((d) => d.code)).toEqual(Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(new Set(INDUSTRY_DIVISIONS.map((d) => d.name)).size).toBe(97);
  });

  it.each([
    ['A', 1, 5], ['B', 6, 12], ['C', 13, 43], ['D', 44, 46], ['E', 47, 50], ['F', 51, 52], ['G', 53, 60],
    ['H', 61, 62], ['I', 63, 65], ['J', 66, 69], ['K', 70, 70], ['L', 71, 72], ['M', 73, 75], ['N', 76, 79],
    ['O', 80, 82], ['P', 83, 83], ['Q', 84, 85], ['R', 86, 90], ['S', 91, 96], ['T', 97, 97],
  ])('puts divisions of section %s in %i–%i', (section, first, last) => {
    const numbers = INDUSTRY_DIVISIONS.filter((d) => d.section === section).map((d) => Number(d.code));
    expect(numbers).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
  });

  it.each([
    ['A05', '农、林、牧、渔专业及辅助性活动'],
    ['C13', '农副食品加工业'],
    ['C39', '计算机、通信和其他电子设备制造业'],
    ['C43', '金属制品、机械和设备修理业'],
    ['F52', '零售业'],
    ['I65', '软件和信息技术服务业'],
    ['S96', '基层群众自治组织及其他组织'],
    ['T97', '国际组织'],
  ])('names %s %s', (code, name) => {
    expect(findIndustry(code)?.name).toBe(name);
  });

  it('returns the whole record for C39', () => {
    expect(findIndustry('C39')).toEqual({
      code: 'C39',
      section: 'C',
      sectionName: '制造业',
      division: '39',
      name: '计算机、通信和其他电子设备制造业',
    });
  });

  it('only knows codes whose letter matches the division', () => {
    expect(isIndustryCode('C39')).toBe(true);
    expect(isIndustryCode('I65')).toBe(true);
    for (const code of ['D39', 'c39', 'C3', 'C98', '39', '', 'C039']) {
      expect(isIndustryCode(code)).toBe(false);
      expect(findIndustry(code)).toBeUndefined();
    }
  });
});
