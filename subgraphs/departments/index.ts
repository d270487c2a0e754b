import { echo, invalidInput } from '../../platform/errors';
import { defineSubgraph, type Context } from '../kit/subgraph';
import { canSeeCase, READER_ROLES } from './access';
import { ApplicationDepartmentCaseResolver, ApplicationReference, applicationReference } from './application.stub';
import { DepartmentCase, DepartmentCaseRecord } from './department-case.entity';
import { DepartmentCaseResolver } from './department-case.resolver';
import { dispatchConsumer } from './dispatch.consumer';
import { createDepartmentsLoaders, type DepartmentsLoaders } from './loaders';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { pushConsumer } from './push.consumer';
import { UUID } from '../kit/validation';


/**
 * 前店后厂, the back: the reference department back office built on the kit (docs/departments.md).
 * Accepted applications arrive by event as cases in their department's inbox (dispatch); staff
 * assign them, record on-site surveys and evaluations, decide; the result goes back to the
 * applications subgraph through the graph as the department's DEPARTMENT_SYSTEM (push).
 * Departments listed in EXTERNAL_DEPARTMENTS run their own system and are not taken here.
 */
export const departmentsSubgraph = defineSubgraph<DepartmentsLoaders>({
  name: 'departments',
  owner: '县直主管部门（参考业务系统）',
  resolvers: [DepartmentCaseResolver, ApplicationDepartmentCaseResolver],
  orphanedTypes: [ApplicationReference],
  entities: [DepartmentCase, DepartmentCaseRecord],
  consumers: [dispatchConsumer, pushConsumer],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  createLoaders: (em) => createDepartmentsLoaders(em),
  referenceResolvers: {
    Application: { __resolveReference: (reference: Record<string, unknown>) => applicationReference(reference) },
    DepartmentCase: {
      async __resolveReference(reference: Record<string, unknown>, ctx: Context<DepartmentsLoaders>) {
        const id = reference.id;
        if (typeof id !== 'string' || !UUID.test(id)) throw invalidInput([{ field: 'id', message: `实体引用的办件 id 无效：“${echo(id)}”` }]);
        // Who may not read cases at all, and who may not read this one, get the same: nothing.
        if (!READER_ROLES.includes(ctx.identity.role as (typeof READER_ROLES)[number])) return null;
        const kase = await ctx.loaders.caseById.load(id);
        return kase && canSeeCase(ctx.identity, kase) ? kase : null;
      },
    },
  },
});
