/**
 * The words the whole graph uses about an enterprise, defined once: the enterprises subgraph
 * exposes them as GraphQL enums, the demo population draws from them, and later subgraphs (the
 * sources, policy conditions) test against them.
 */
export const EnterpriseScale = {
  LARGE: 'LARGE',
  MEDIUM: 'MEDIUM',
  SMALL: 'SMALL',
  MICRO: 'MICRO',
} as const;
export type EnterpriseScale = (typeof EnterpriseScale)[keyof typeof EnterpriseScale];

export const EnterpriseTag = {
  HIGH_TECH: 'HIGH_TECH',
  SRDI: 'SRDI',
  ABOVE_SCALE: 'ABOVE_SCALE',
  LISTED: 'LISTED',
  TECH_SME: 'TECH_SME',
  FOREIGN_TRADE: 'FOREIGN_TRADE',
} as const;
export type EnterpriseTag = (typeof EnterpriseTag)[keyof typeof EnterpriseTag];

export const ENTERPRISE_TAG_NAMES: Record<EnterpriseTag, string> = {
  HIGH_TECH: '高新技术企业',
  SRDI: '专精特新企业',
  ABOVE_SCALE: '规模以上企业（规上）',
  LISTED: '上市企业',
  TECH_SME: '科技型中小企业',
  FOREIGN_TRADE: '外贸企业',
};
