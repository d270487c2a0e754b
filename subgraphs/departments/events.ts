import { echo } from '../../platform/errors';
import { UUID } from '../kit/validation';

/**
 * The events the departments subgraph reads and writes (docs/events.md, docs/departments.md).
 * The applications subgraph's payload is described here again, not imported: a subgraph never
 * imports another's code; the dispatch consumer checks what arrives.
 */

/** The applications subgraph's family and its dispatch event. */
export const APPLICATIONS_FAMILY = 'applications';
export const APPLICATION_ACCEPTED = 'application.accepted';

export interface ApplicationAcceptedPayload {
  applicationId: string;
  receiptNumber: string;
  policyId: string;
  policyVersion: number;
  policyTitle: string;
  mode: 'INSTANT' | 'COMMITMENT' | 'NO_APPLICATION';
  department: string;
  regionCode: string;
  creditCode: string;
  enterpriseName: string;
  channel: string;
  /** When the window accepted it; absent: the event's own time. */
  acceptedAt?: string;
  deadline: string | null;
  materials: { name: string; uploadId?: string | null; sha256?: string | null; heldByGovernment: boolean }[];
  tolerated: string[];
  data: Record<string, unknown>;
}

/** This subgraph's family: what the back office decided or recorded, pushed to the applications subgraph by its consumer. */
export const DEPARTMENTS_FAMILY = 'departments';
/** A case was decided (decideDepartmentCase): `{ caseId, applicationId, decisionId, department }`. */
export const DEPARTMENT_DECIDED = 'department.decided';
/** A survey or evaluation record was kept (recordSiteSurvey, recordEvaluation): `{ caseId, applicationId, recordId, department }`. */
export const DEPARTMENT_RECORDED = 'department.recorded';

/** Ids only: the consumer reads the case itself (the payee account never travels in an event). */
export interface DepartmentCaseEventPayload {
  caseId: string;
  applicationId: string;
  department: string;
  decisionId?: string;
  recordId?: string;
}

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && [...v].length <= max;

/**
 * What is wrong with an `application.accepted` payload, or undefined: the consumer stores
 * nothing it cannot show or push back (a malformed event is a producer's bug, retried and logged).
 */
export function acceptedPayloadProblem(p: Record<string, unknown>): string | undefined {
  const bad = (field: string) => `application.accepted: ${field} is missing or malformed (${echo(p[field])})`;
  if (typeof p.applicationId !== 'string' || !UUID.test(p.applicationId)) return bad('applicationId');
  if (!isText(p.receiptNumber, 40)) return bad('receiptNumber');
  if (!isText(p.policyId, 20)) return bad('policyId');
  if (typeof p.policyVersion !== 'number' || !Number.isInteger(p.policyVersion)) return bad('policyVersion');
  if (!isText(p.policyTitle, 200)) return bad('policyTitle');
  if (!['INSTANT', 'COMMITMENT', 'NO_APPLICATION'].includes(p.mode as string)) return bad('mode');
  if (typeof p.department !== 'string' || !/^\d{6}-[A-Z]{2,10}$/.test(p.department)) return bad('department');
  if (typeof p.regionCode !== 'string' || !/^\d{6}$/.test(p.regionCode)) return bad('regionCode');
  if (typeof p.creditCode !== 'string' || !/^[0-9A-Z]{18}$/.test(p.creditCode)) return bad('creditCode');
  if (!isText(p.enterpriseName, 200)) return bad('enterpriseName');
  if (!isText(p.channel, 20)) return bad('channel');
  if (p.acceptedAt !== undefined && (typeof p.acceptedAt !== 'string' || Number.isNaN(Date.parse(p.acceptedAt)))) return bad('acceptedAt');
  if (p.deadline != null && (typeof p.deadline !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(p.deadline))) return bad('deadline');
  if (p.materials !== undefined && (!Array.isArray(p.materials) || p.materials.some((m) => !m || !isText((m as { name?: unknown }).name, 200)))) return bad('materials');
  if (p.tolerated !== undefined && (!Array.isArray(p.tolerated) || p.tolerated.some((t) => typeof t !== 'string'))) return bad('tolerated');
  if (p.data != null && (typeof p.data !== 'object' || Array.isArray(p.data))) return bad('data');
  return undefined;
}
