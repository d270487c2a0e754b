import { Directive, Field, ObjectType } from 'type-graphql';
import { CreditCodeScalar } from '../../../platform/credit-code';

/** The enterprises subgraph owns Enterprise; here it is only its key, so we can add `tax` to it. */
@ObjectType('Enterprise')
@Directive('@key(fields: "creditCode")')
export class EnterpriseReference {
  @Field(() => CreditCodeScalar)
  creditCode!: string;
}
