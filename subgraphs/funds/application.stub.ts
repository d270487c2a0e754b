import { applicationKeyType, parseApplicationReference, type ApplicationKey } from '../kit/application-key';

/** The applications subgraph's Application, by its key only: funds adds `payment` to it. */
export const ApplicationReference = applicationKeyType();
export type ApplicationReference = ApplicationKey;
/** An `_entities` representation of Application: its id, checked. */
export const applicationReference = parseApplicationReference;
