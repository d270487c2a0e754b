import type { GraphClient } from '../../kit/graph-client';

/** One screening of the policy's region, asking only what a message needs, with its first page. */
export const SCREENING_QUERY = `query PushScreening($region: String!, $policy: String!, $asOf: String, $first: Int!) {
  enterprisePopulation(regionCode: $region) {
    screening(policyId: $policy, asOf: $asOf) {
      id
      version
      evaluatedOn
      entries(outcome: ELIGIBLE, first: $first) {
        pageInfo { hasNextPage endCursor }
        nodes { creditCode amountFen amountText }
      }
    }
  }
}`;

/** The rest of that screening's white list, read back by id: the region is not screened again. */
export const SCREENING_PAGE_QUERY = `query PushScreeningPage($id: ID!, $first: Int!, $after: String) {
  policyScreening(id: $id) {
    entries(outcome: ELIGIBLE, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { creditCode amountFen amountText }
    }
  }
}`;

/** The screening's largest page (its `entries(first:)` allows 1–500, about half the gateway's default query cost). */
export const SCREENING_PAGE = 500;

export interface WhiteListEntry {
  creditCode: string;
  amountFen: number | null;
  amountText: string;
}

/** Who qualifies for a published policy on a day: the screening's ELIGIBLE entries, every page. */
export interface WhiteList {
  policyId: string;
  /** The served version the screening evaluated. */
  version: number;
  evaluatedOn: string;
  entries: WhiteListEntry[];
}

interface EntriesPage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: WhiteListEntry[];
}

interface ScreeningAnswer {
  enterprisePopulation: { screening: { id: string; version: number; evaluatedOn: string; entries: EntriesPage } };
}

/**
 * Screens every enterprise of the policy's region once through the graph, as the service identity
 * for that region, and reads its ELIGIBLE entries page by page from the kept screening: one
 * version on one day, however many pages.
 */
export async function fetchWhiteList(
  graph: GraphClient,
  policy: { id: string; regionCode: string },
  asOf: string,
  purpose: string,
  pageSize = SCREENING_PAGE,
): Promise<WhiteList> {
  const options = { purpose, region: policy.regionCode };
  const answer = await graph.request<ScreeningAnswer>(SCREENING_QUERY, { region: policy.regionCode, policy: policy.id, asOf, first: pageSize }, options);
  const screening = answer.enterprisePopulation.screening;
  const entries: WhiteListEntry[] = [...screening.entries.nodes];
  let page = screening.entries;
  while (page.pageInfo.hasNextPage) {
    const next: { policyScreening: { entries: EntriesPage } } = await graph.request(SCREENING_PAGE_QUERY, { id: screening.id, first: pageSize, after: page.pageInfo.endCursor }, options);
    page = next.policyScreening.entries;
    entries.push(...page.nodes);
  }
  return { policyId: policy.id, version: screening.version, evaluatedOn: screening.evaluatedOn, entries };
}
