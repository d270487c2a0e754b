import type { EntityManager } from '@mikro-orm/core';
import { entityLoader } from '../kit/loaders';
import { JointAuditPolicyRules } from './policy-rules.entity';

export function createJointAuditLoaders(em: EntityManager) {
  // 1,000 enterprises audited for one policy: one statement for the rules.
  return { policyRules: entityLoader(em, JointAuditPolicyRules, 'policyCode') };
}
export type JointAuditLoaders = ReturnType<typeof createJointAuditLoaders>;
