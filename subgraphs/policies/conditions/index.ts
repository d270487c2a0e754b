/** The condition language, amount rules and evaluator (docs/conditions.md). Pure: no ORM, no GraphQL. */
export * from './types';
export { INDICATORS, SOURCE_NAMES, OPS_BY_TYPE, ALL_OPS, indicator } from './indicators';
export { validateCondition, validateAmountRule, MAX_DEPTH, MAX_NODES } from './validate';
export { evaluate, compile, indicatorsOf, explanationLines } from './evaluate';
export type { Compiled } from './evaluate';
export { computeAmount, percentOfFen } from './amount';
export { describeCondition } from './describe';
export { formatMoney, formatBasisPoints } from './format';
export { shiftMonths, resolveRelative } from './relative';
