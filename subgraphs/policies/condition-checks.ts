/** The condition language as this subgraph stores it: helper E's `./conditions` (docs/conditions.md). */
export { validateAmountRule, validateCondition, type AmountRule, type Condition, type Problem } from './conditions';
