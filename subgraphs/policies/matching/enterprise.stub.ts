import { Directive, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../../platform/credit-code';
import { EnterpriseScale, EnterpriseTag } from '../../kit/enterprise-vocabulary';
import { FenScalar } from '../../kit/money';
import { INDICATORS } from '../conditions';

/*
 * Enterprise as the policy calculator sees it: its key and, `@external`, the indicator fields of
 * its owners (enterprises, tax, statistics, credit), handed over by the gateway through `@requires`.
 * The enums and value types below repeat the owners' GraphQL names and values (a subgraph may not
 * import another's code); composition fails if they drift apart.
 */

// Copies: the owners register these enums on their own objects.
const Scale = { ...EnterpriseScale };
const Tag = { ...EnterpriseTag };
const TaxCreditRating = { A: 'A', B: 'B', M: 'M', C: 'C', D: 'D' } as const;
const PublicCreditGrade = { A: 'A', B: 'B', C: 'C', D: 'D' } as const;
registerEnumType(Scale, { name: 'EnterpriseScale' });
registerEnumType(Tag, { name: 'EnterpriseTag' });
registerEnumType(TaxCreditRating, { name: 'TaxCreditRating' });
registerEnumType(PublicCreditGrade, { name: 'PublicCreditGrade' });

@ObjectType('TaxProfile')
export class RequiredTax {
  @Directive('@external') @Field(() => Int, { nullable: true }) latestYear!: number | null;
  @Directive('@external') @Field(() => FenScalar, { nullable: true }) revenueFen!: number | null;
  @Directive('@external') @Field(() => FenScalar, { nullable: true }) taxPaidFen!: number | null;
  @Directive('@external') @Field(() => TaxCreditRating) creditRating!: string;
}

@ObjectType('StatisticsProfile')
export class RequiredStatistics {
  @Directive('@external') @Field(() => Boolean) aboveScale!: boolean;
  @Directive('@external') @Field(() => Int, { nullable: true }) aboveScaleSince!: number | null;
  @Directive('@external') @Field(() => Int, { nullable: true }) employees!: number | null;
  @Directive('@external') @Field(() => Int, { nullable: true }) latestYear!: number | null;
  @Directive('@external') @Field(() => FenScalar, { nullable: true }) outputValueFen!: number | null;
}

@ObjectType('CreditProfile')
export class RequiredCredit {
  @Directive('@external') @Field(() => Boolean) onDishonestyList!: boolean;
  @Directive('@external') @Field(() => PublicCreditGrade, { nullable: true }) publicCreditRating!: string | null;
}

@ObjectType('Enterprise')
@Directive('@key(fields: "creditCode")')
export class MatchingEnterprise {
  @Field(() => CreditCodeScalar) creditCode!: string;
  @Directive('@external') @Field(() => String) regionCode!: string;
  @Directive('@external') @Field(() => String) industryCode!: string;
  @Directive('@external') @Field(() => Scale) scale!: string;
  @Directive('@external') @Field(() => [Tag]) tags!: string[];
  @Directive('@external') @Field(() => String) registeredOn!: string;
  @Directive('@external') @Field(() => RequiredTax, { nullable: true }) tax!: RequiredTax | null;
  @Directive('@external') @Field(() => RequiredStatistics, { nullable: true }) statistics!: RequiredStatistics | null;
  @Directive('@external') @Field(() => RequiredCredit, { nullable: true }) credit!: RequiredCredit | null;
}

/** Fields required besides the indicators: the sources' latest year names the period ("2025年营业收入"). */
const CONTEXT_FIELDS: Record<string, string[]> = { tax: ['latestYear'], statistics: ['latestYear'] };

/**
 * `@requires(fields: …)` of `Enterprise.eligiblePolicies`, built from the INDICATORS registry:
 * every indicator with a graph source, grouped by its top-level field. Indicators whose source is
 * 'application' (declared by the enterprise when it applies) have no field: they stay unknown here.
 */
export function requiredFields(): string {
  const top: string[] = [];
  const nested = new Map<string, Set<string>>();
  const add = (path: string) => {
    const m = /^(\w+)\s*\{\s*(\w+)\s*\}$/.exec(path.trim());
    if (m) {
      if (!nested.has(m[1])) nested.set(m[1], new Set(CONTEXT_FIELDS[m[1]] ?? []));
      nested.get(m[1])!.add(m[2]);
    } else if (/^\w+$/.test(path.trim())) {
      if (!top.includes(path.trim())) top.push(path.trim());
    } else throw new Error(`indicator field "${path}" is not "name" or "parent { name }"`);
  };
  for (const def of Object.values(INDICATORS)) if (def.source !== 'application') add(def.field);
  return [...top, ...[...nested].map(([parent, fields]) => `${parent} { ${[...fields].join(' ')} }`)].join(' ');
}

export const REQUIRED_FIELDS = requiredFields();
