import { Directive, Field, ObjectType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import { SourceFindings } from '../kit/findings';
import { AUDIT_SOURCES } from './sources';

/**
 * Enterprise as the joint audit sees it: its key and, `@external`, every source's findings
 * (resolved by the sources, handed to `jointAudit` by the gateway through `@requires`).
 */
@ObjectType('Enterprise')
@Directive('@key(fields: "creditCode")')
export class EnterpriseReference {
  @Field(() => CreditCodeScalar)
  creditCode!: string;

  [findingsField: string]: unknown;
}

// One external field per source, from the one list: a new source is not a new line here.
for (const source of AUDIT_SOURCES) {
  Directive('@external')(EnterpriseReference.prototype, source.field);
  Field(() => SourceFindings, { nullable: true, description: `${source.department}的记录（由 ${source.name} 子图提供）` })(EnterpriseReference.prototype, source.field);
}
