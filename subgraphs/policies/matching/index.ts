/** The policy calculator (政策计算器): `Enterprise.eligiblePolicies` over indicators from the graph. */
export { MatchingEnterprise, REQUIRED_FIELDS } from './enterprise.stub';
export { EnterpriseEligiblePoliciesResolver } from './matching.resolver';
export { createPoliciesLoaders, type PoliciesLoaders } from './loader';
export { EligiblePolicy } from './matching.types';
export { PopulationScreeningResolver, PolicyScreeningResolver, SCREENING_REQUIRES } from './screening.resolver';
export { ScreeningPopulation, PolicyScreening } from './screening.types';
