import { applicationKeyType, parseApplicationReference, type ApplicationKey } from '../kit/application-key';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../kit/subgraph';
import { requireCaseReader, canSeeCase } from './access';
import { DepartmentCase } from './department-case.entity';
import type { DepartmentsLoaders } from './loaders';

/** The applications subgraph's Application, by its key only: this subgraph adds `departmentCase` to it. */
export const ApplicationReference = applicationKeyType();
export type ApplicationReference = ApplicationKey;
/** An `_entities` representation of Application: its id, checked. */
export const applicationReference = parseApplicationReference;

@Resolver(() => ApplicationReference)
export class ApplicationDepartmentCaseResolver {
  /**
   * The case the owning department's back office keeps for this application: null while it is on
   * its way (the dispatch event not yet delivered), and for departments running their own system
   * (EXTERNAL_DEPARTMENTS). The roles are checked before anything is loaded; a reader who may not
   * see this case (another department's staff, another region's bureau) gets null, as if absent.
   */
  @FieldResolver(() => DepartmentCase, { nullable: true, description: '主管部门的办件（部门后台）：本部门人员、本地区审批局、审计可查看' })
  async departmentCase(@Root() application: ApplicationReference, @Ctx() ctx: Context<DepartmentsLoaders>): Promise<DepartmentCase | null> {
    requireCaseReader(ctx.identity);
    const kase = await ctx.loaders.caseByApplication.load(application.id);
    return kase && canSeeCase(ctx.identity, kase) ? kase : null;
  }
}
