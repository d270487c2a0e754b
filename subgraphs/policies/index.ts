import { POLICY_CODE_PATTERN } from '../kit/validation';
import { parseCreditCode } from '../../platform/credit-code';
import { echo, invalidInput } from '../../platform/errors';
import { defineSubgraph, type Context } from '../kit/subgraph';
import { seedPolicies } from './demo/seed';
import { policyExpiryJob } from './expiry';
import { createPoliciesLoaders, EnterpriseEligiblePoliciesResolver, MatchingEnterprise, PolicyScreeningResolver, PopulationScreeningResolver, ScreeningPopulation, type PoliciesLoaders } from './matching';
import { parsePopulationRegion } from '../kit/population';
import { PolicyScreeningRun } from './matching/screening-run.entity';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { Policy, PolicySearchTerm, PolicySignOff, PolicyVersion } from './policy.entity';
import { PolicyResolver } from './policy.resolver';
import { assertCanSee, policyViews } from './policy.service';
import { PolicyMessage, PolicyMessageMutationResolver, PolicyMessagesResolver, pushConsumer, rescreenJob } from './push';

/**
 * 惠企政策库 — the policy catalog (一网查询): policies with versions and the standard service
 * guide, the lifecycle with the three sign-offs (归口管理: 县发改委), and its own Chinese search index;
 * 精准推送 messages to the enterprises a published policy is for (push/).
 */
export const policiesSubgraph = defineSubgraph<PoliciesLoaders>({
  name: 'policies',
  owner: '县发改委（归口管理）',
  department: 'NDRC',
  resolvers: [PolicyResolver, EnterpriseEligiblePoliciesResolver, PopulationScreeningResolver, PolicyScreeningResolver, PolicyMessagesResolver, PolicyMessageMutationResolver],
  orphanedTypes: [MatchingEnterprise, ScreeningPopulation],
  entities: [Policy, PolicyVersion, PolicySignOff, PolicySearchTerm, PolicyScreeningRun, PolicyMessage],
  // 精准推送: messages on publication, and the periodic re-screening for enterprises that newly qualify.
  consumers: [pushConsumer],
  // The re-screening; and a policy whose application window has ended expires by itself (docs/policies.md, "Expiry").
  jobs: [rescreenJob, policyExpiryJob()],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  createLoaders: (em, identity) => createPoliciesLoaders(em, identity),
  seed: seedPolicies,
  referenceResolvers: {
    // The policy calculator's Enterprise: the representation carries the required indicators.
    Enterprise: {
      __resolveReference: (reference: Record<string, unknown>) => ({ ...reference, creditCode: parseCreditCode(reference.creditCode) }),
    },
    // Screening's population: the representation carries every owner's table (checked where read).
    EnterprisePopulation: {
      __resolveReference: (reference: Record<string, unknown>) => ({ ...reference, regionCode: parsePopulationRegion(reference.regionCode) }),
    },
    Policy: {
      async __resolveReference(reference: Record<string, unknown>, ctx: Context<unknown>) {
        const id = reference.id;
        if (typeof id !== 'string' || !POLICY_CODE_PATTERN.test(id)) throw invalidInput([{ field: 'id', message: `实体引用的 id 无效：“${echo(id)}”` }]);
        const policy = await ctx.em.findOne(Policy, { id });
        if (!policy) return null;
        try {
          assertCanSee(ctx.identity, policy);
        } catch {
          return null;
        }
        return (await policyViews(ctx.em, ctx.identity, [policy]))[0];
      },
    },
  },
});
