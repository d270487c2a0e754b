import type { EntityManager } from '@mikro-orm/core';
import type DataLoader from 'dataloader';
import type { Identity } from '../../../platform/identity';
import type { AmountRule, Condition } from '../conditions';
import { Policy } from '../policy.entity';
import { policyViews } from '../policy.service';
import type { PolicyView } from '../policy.types';
import type { PublishedPolicy } from './match';
import { policyMessagesLoader } from '../push/loader';
import type { PolicyMessage } from '../push/policy-message.entity';

export interface PublishedCatalog {
  policies: PublishedPolicy[];
  views: Map<string, PolicyView>;
}

/**
 * The published catalog, loaded once per request (the gateway sends every enterprise of a query in
 * one `_entities` request): a constant number of statements whether 1 or 1,000 enterprises ask.
 */
export function publishedCatalogLoader(em: EntityManager, identity: Identity): () => Promise<PublishedCatalog> {
  let pending: Promise<PublishedCatalog> | undefined;
  return () => (pending ??= load(em, identity));
}

async function load(em: EntityManager, identity: Identity): Promise<PublishedCatalog> {
  const rows = await em.find(Policy, { status: 'PUBLISHED', publishedVersion: { $ne: null } }, { orderBy: { id: 'asc' } });
  const views = await policyViews(em, identity, rows);
  const policies = views.map((v) => ({
    id: v.id,
    regionCode: v.region,
    version: v.current.number,
    conditions: v.current.conditions as Condition,
    amountRule: v.current.amountRule as AmountRule,
    windowEnd: v.current.windowEnd,
  }));
  return { policies, views: new Map(views.map((v) => [v.id, v])) };
}

export interface PoliciesLoaders {
  publishedCatalog: () => Promise<PublishedCatalog>;
  /** 精准推送: an enterprise's messages, newest first (push/loader.ts). */
  policyMessages: DataLoader<string, PolicyMessage[]>;
}

export const createPoliciesLoaders = (em: EntityManager, identity: Identity): PoliciesLoaders => ({
  publishedCatalog: publishedCatalogLoader(em, identity),
  policyMessages: policyMessagesLoader(em),
});
