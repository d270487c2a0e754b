import { Directive, Field, ObjectType } from 'type-graphql';
import { CreditCodeScalar } from '../../../platform/credit-code';

export interface EnterpriseKey {
  creditCode: string;
}

/**
 * The `Enterprise` stub a source extends: the key only (the enterprises subgraph owns the rest).
 * A fresh class per source, so one source's field resolvers never end up in another's schema.
 */
export function enterpriseKeyType(): new () => EnterpriseKey {
  @ObjectType('Enterprise')
  @Directive('@key(fields: "creditCode")')
  class Enterprise implements EnterpriseKey {
    @Field(() => CreditCodeScalar)
    creditCode!: string;
  }
  return Enterprise;
}
