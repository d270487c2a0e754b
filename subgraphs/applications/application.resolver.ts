import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '../../platform/errors';
import { Guard } from '../kit/scope';
import type { Context } from '../kit/subgraph';
import { ApplicationMaterialView, ApplicationStepView, ApplicationView } from './application.types';
import { applicationView, materialView, stepView } from './application.view';
import type { ApplicationsLoaders } from './loaders';
import { canReadApplication, requireApplicationReader } from './scope';

type Ctx = Context<ApplicationsLoaders>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A case the caller may read, else NOT_FOUND whether or not it exists (no existence oracle). */
export async function loadReadable(ctx: Ctx, id: string) {
  requireApplicationReader(ctx.identity);
  const application = UUID.test(id) ? await ctx.loaders.application.load(id) : null;
  if (!application || !canReadApplication(ctx.identity, application)) throw notFound('办件', id.slice(0, 36));
  return application;
}

@Resolver(() => ApplicationView)
export class ApplicationResolver {
  @Query(() => ApplicationView, { description: '办事进度查询：一件办件（企业只见本企业的，窗口只见本窗口受理的）' })
  @Guard(requireApplicationReader)
  async application(@Arg('id', () => ID) id: string, @Ctx() ctx: Ctx) {
    return applicationView(await loadReadable(ctx, id));
  }

  @FieldResolver(() => [ApplicationMaterialView])
  async materials(@Root() root: ApplicationView, @Ctx() ctx: Ctx) {
    return (await ctx.loaders.materials.load(root.id)).map(materialView);
  }

  @FieldResolver(() => [ApplicationStepView], { description: '办事进度：每一步的办理人、时间、意见与当时的期限' })
  async timeline(@Root() root: ApplicationView, @Ctx() ctx: Ctx) {
    return (await ctx.loaders.steps.load(root.id)).map(stepView);
  }
}
