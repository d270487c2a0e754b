/** The source kit: what a joint-audit source is made of, so a new source is a small folder. */
export { SourceRecord, type KeyedRecord } from './record';
export { enterpriseKeyType, type EnterpriseKey } from './enterprise';
export { sourceInfo, type SourceInfo } from './source-info';
export { SOURCE_READERS, assertCanReadSource, assertSourceReader } from './scope';
export { logSourceRead } from './access';
export { recordsLoader, groupLoader, type SourceAnswer } from './loaders';
export { defineSource, readSource, type Finding, type SourceContext, type SourceLoaders } from './source';
export { recordsGroup } from './group';
export { Dice, DEMO_FROM, DEMO_TODAY, addDays, demoPopulation, documentNumber, insertRows, recordedOn, seedCases, shouldSeed, demoEconomy, type CaseSeed, type DemoYear } from './seed';
export { FindingCategory, FindingSeverity } from '../../kit/findings';
