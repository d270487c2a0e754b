import { GraphRequestError, type GraphClient } from '../../kit/graph-client';

/** The contract's Screening query (CONTRACT8B), asking only what a message needs. */
export const SCREENING_QUERY = `query PushScreening($region: String!, $policy: String!, $asOf: String, $first: Int!, $after: String) {
  enterprisePopulation(regionCode: $region) {
    screening(policyId: $policy, asOf: $asOf) {
      version
      evaluatedOn
      entries(outcome: ELIGIBLE, first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { creditCode amountFen amountText }
      }
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

interface ScreeningPage {
  enterprisePopulation: {
    screening: {
      version: number;
      evaluatedOn: string;
      entries: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: WhiteListEntry[] };
    };
  };
}

/**
 * Screens every enterprise of the policy's region through the graph, as the service identity for
 * that region, and collects the ELIGIBLE entries page by page. `asOf` is fixed for all pages, and a
 * version published between two pages fails the call (the caller retries): a white list is of one
 * version on one day.
 */
export async function fetchWhiteList(
  graph: GraphClient,
  policy: { id: string; regionCode: string },
  asOf: string,
  purpose: string,
  pageSize = SCREENING_PAGE,
): Promise<WhiteList> {
  const entries: WhiteListEntry[] = [];
  let after: string | null = null;
  let first: ScreeningPage['enterprisePopulation']['screening'] | undefined;
  for (;;) {
    const page: ScreeningPage = await graph.request<ScreeningPage>(
      SCREENING_QUERY,
      { region: policy.regionCode, policy: policy.id, asOf, first: pageSize, after },
      { purpose, region: policy.regionCode },
    );
    const screening = page.enterprisePopulation.screening;
    first ??= screening;
    if (screening.version !== first.version) {
      throw new GraphRequestError(`screening of ${policy.id}: version ${first.version} became ${screening.version} between pages`, ['SCREENING_VERSION_CHANGED']);
    }
    entries.push(...screening.entries.nodes);
    if (!screening.entries.pageInfo.hasNextPage) break;
    after = screening.entries.pageInfo.endCursor;
  }
  return { policyId: policy.id, version: first.version, evaluatedOn: first.evaluatedOn, entries };
}
