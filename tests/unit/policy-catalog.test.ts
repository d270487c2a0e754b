import { DEMO_CATALOG } from '../../subgraphs/policies/demo/catalog';
import { validateAmountRule, validateCondition } from '../../subgraphs/policies/conditions';
import { queryGroups, termsOf, words } from '../../subgraphs/policies/search';
import { TRANSITIONS } from '../../subgraphs/policies/lifecycle';

describe('the demo catalog', () => {
  test('≥ 30 policies, unique codes, ≥ 8 departments, all three modes', () => {
    expect(DEMO_CATALOG.length).toBeGreaterThanOrEqual(30);
    expect(new Set(DEMO_CATALOG.map((p) => p.id)).size).toBe(DEMO_CATALOG.length);
    expect(new Set(DEMO_CATALOG.map((p) => p.department)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(DEMO_CATALOG.map((p) => p.mode))).toEqual(new Set(['NO_APPLICATION', 'INSTANT', 'COMMITMENT']));
  });

  test.each(DEMO_CATALOG.map((p) => [p.id, p] as const))('%s: conditions and amount rule are valid in the condition language', (_id, p) => {
    expect(validateCondition(p.conditions)).toEqual([]);
    expect(validateAmountRule(p.amountRule)).toEqual([]);
  });
});

describe('search terms', () => {
  const version = (title: string, guide = '') => ({ title, legalBasisTitle: '', legalBasisNumber: '', beneficiaries: guide, conditionsText: '', amountText: '' });

  test('a title is indexed by words and characters; title terms weigh more than guide terms', () => {
    const terms = termsOf(version('技术改造补贴', '节能改造'));
    expect(terms.get('技术改造')).toBeGreaterThan(0);
    expect(terms.get('技')).toBeGreaterThan(terms.get('节')!);
    expect(words('高新技术企业认定奖励')).toEqual(expect.arrayContaining(['高新', '高新技术', '企业']));
  });

  test('an abbreviation needs its characters: 技改 → 技 + 改', () => {
    expect(queryGroups('技改')).toEqual([{ word: '技改', needs: ['技', '改'] }]);
    expect(queryGroups('  ')).toEqual([]);
    expect(queryGroups('ABC 高新').map((g) => g.word)).toEqual(['abc', '高新']);
  });

  test('the lifecycle table names each action once per outcome', () => {
    expect(new Set(TRANSITIONS.map((t) => t.action)).size).toBe(TRANSITIONS.length);
  });
});
