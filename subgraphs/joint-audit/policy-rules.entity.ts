import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { AuditRule } from './rules';

/**
 * A policy's own joint-audit rules (configuration): one row per policy, the rules as a JSON list,
 * so the audit of 1,000 enterprises for one policy reads them in one statement. A policy without
 * a row uses DEFAULT_RULES. `regionCode` is the region of whoever first set them: only officials
 * covering that region may change them.
 */
@Entity({ tableName: 'joint_audit_policy_rules' })
export class JointAuditPolicyRules {
  @PrimaryKey({ type: 'string', length: 40 })
  policyCode!: string;

  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  @Property({ type: 'json' })
  rules!: AuditRule[];

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
