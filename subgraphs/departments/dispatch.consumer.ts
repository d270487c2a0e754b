import { randomUUID } from 'node:crypto';
import type { Consumer } from '../kit/events/types';
import { nowOf, type Services } from '../kit/services';
import { DepartmentCase, type DepartmentCaseMaterial } from './department-case.entity';
import { acceptedPayloadProblem, APPLICATION_ACCEPTED, APPLICATIONS_FAMILY, type ApplicationAcceptedPayload } from './events';

/** EXTERNAL_DEPARTMENTS' default (platform/config.ts): 县人社局 runs its own system in both counties. */
export const DEFAULT_EXTERNAL_DEPARTMENTS: readonly string[] = ['360732-HRSS', '360731-HRSS'];

/** Departments whose cases this back office does not take: they run their own business system. */
export const externalDepartments = (services: Services): readonly string[] => services.config?.departments.external ?? DEFAULT_EXTERNAL_DEPARTMENTS;

/**
 * 派件 (dispatch): an accepted application becomes a case in its department's inbox. Runs in the
 * transaction of the kit's inbox insert, so a repeated event is skipped; a replay of the same
 * application as a new event (an operator, another replica) finds the case by its unique
 * applicationId and adds nothing. Departments in EXTERNAL_DEPARTMENTS are skipped: their own
 * system pulls its cases from the graph (`applications(filter: { department })`).
 *
 * `maxAttempts: Infinity`: while this database is down the event is retried (at most once a
 * minute) and never dead-lettered, the events behind it going on; a case is never lost.
 */
export const dispatchConsumer: Consumer = {
  name: 'department-dispatch',
  families: [APPLICATIONS_FAMILY],
  maxAttempts: Infinity,
  async handle(em, event, services) {
    if (event.type !== APPLICATION_ACCEPTED) return;
    const problem = acceptedPayloadProblem(event.payload);
    // Thrown, not skipped: the relay retries and logs it until the producer's bug is fixed and the event replayed.
    if (problem) throw new Error(problem);
    const p = event.payload as unknown as ApplicationAcceptedPayload;
    if (externalDepartments(services).includes(p.department)) return;
    if (await em.findOne(DepartmentCase, { applicationId: p.applicationId })) return;
    const now = nowOf(services);
    const kase = em.create(DepartmentCase, {
      id: randomUUID(),
      applicationId: p.applicationId,
      receiptNumber: p.receiptNumber,
      policyId: p.policyId,
      policyVersion: p.policyVersion,
      policyTitle: p.policyTitle,
      mode: p.mode,
      department: p.department,
      regionCode: p.regionCode,
      creditCode: p.creditCode,
      enterpriseName: p.enterpriseName,
      channel: p.channel,
      acceptedAt: new Date(p.acceptedAt ?? event.occurredAt),
      receivedAt: now,
      deadline: p.deadline ?? null,
      materials: (p.materials ?? []).map(
        (m): DepartmentCaseMaterial => ({ name: m.name, uploadId: m.uploadId ?? null, sha256: m.sha256 ?? null, heldByGovernment: m.heldByGovernment === true }),
      ),
      tolerated: p.tolerated ?? [],
      formData: p.data ?? {},
      status: 'RECEIVED',
      assignee: null,
      assignedAt: null,
      decisionId: null,
      outcome: null,
      amountFen: null,
      payeeAccount: null,
      payeeBank: null,
      reason: null,
      policyExplanation: null,
      note: null,
      decidedAt: null,
      decidedBy: null,
      pushedAt: null,
      pushError: null,
      updatedAt: now,
    });
    em.persist(kase);
  },
};
