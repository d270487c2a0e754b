import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { entityLoader } from '../kit/loaders';
import { DepartmentCase, DepartmentCaseRecord } from './department-case.entity';

export interface DepartmentsLoaders {
  /** By id: `_entities` of DepartmentCase. */
  caseById: DataLoader<string, DepartmentCase | null>;
  /** By application id: `Application.departmentCase` for every application of a list, one statement. */
  caseByApplication: DataLoader<string, DepartmentCase | null>;
  /** A case's records, oldest first, for every case of a page in one statement. */
  records: DataLoader<string, DepartmentCaseRecord[]>;
}

export function createDepartmentsLoaders(em: EntityManager): DepartmentsLoaders {
  return {
    caseById: entityLoader(em, DepartmentCase, 'id'),
    caseByApplication: entityLoader(em, DepartmentCase, 'applicationId'),
    records: new DataLoader(async (caseIds) => {
      const rows = await em.find(DepartmentCaseRecord, { caseId: { $in: [...caseIds] } }, { orderBy: { recordedAt: 'asc', id: 'asc' } });
      const byCase = new Map<string, DepartmentCaseRecord[]>(caseIds.map((id) => [id, []]));
      for (const row of rows) byCase.get(row.caseId)!.push(row);
      return caseIds.map((id) => byCase.get(id)!);
    }),
  };
}
