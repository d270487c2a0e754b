export * from './table';
export { fire, basePayload, wrongState, type FireOptions, type Fired, type WorkflowActor } from './fire';
export { deadlineFor, workdayDeadline, workdaysOf, type StepDeadline } from './deadline';
export { REQUIREMENTS, PROGRESS_KINDS, PROGRESS_KIND_NAMES, type Given, type ProgressKind } from './requirements';
