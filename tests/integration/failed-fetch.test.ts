import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SubgraphDataSource } from '../../gateway/datasource';
import { SubgraphClient } from '../../gateway/subgraph-client';

/**
 * A subgraph that does not answer an `_entities` fetch gives null fields with the error, not
 * missing ones (gateway/datasource.ts failedFetch): @apollo/gateway drops entities whose required
 * fields are missing from the fetch that @requires them, so the joint audit would never see that
 * a source was down. Real sockets: a port nobody listens on, and a server that never answers.
 */

const CALLS = { connections: 2, maxConcurrency: 4, maxQueue: 4, dedup: false };
const ENTITIES_QUERY =
  'query Audit__ecology__1($representations:[_Any!]!){_entities(representations:$representations){...on Enterprise{ecologyFindings{source findings{category}}e:ecologyFindings{asOf} __typename}...on Other{x}}}';

async function listening(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function closedPortUrl() {
  const server = createServer();
  const url = await listening(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return url;
}

const process = (source: SubgraphDataSource, query: string, variables: Record<string, unknown>) =>
  source.process({ request: { query, variables }, context: {} } as never);

const representations = [
  { __typename: 'Enterprise', creditCode: 'A' },
  { __typename: 'Enterprise', creditCode: 'B' },
];

describe('a failed _entities fetch', () => {
  it('answers null for every field it selected, per entity, with SUBGRAPH_UNAVAILABLE (subgraph down)', async () => {
    const source = new SubgraphDataSource('ecology', new SubgraphClient('ecology', await closedPortUrl(), CALLS), 2_000);
    const response = await process(source, ENTITIES_QUERY, { representations });
    expect(response.data).toEqual({
      _entities: [
        { __typename: 'Enterprise', ecologyFindings: null, e: null },
        { __typename: 'Enterprise', ecologyFindings: null, e: null },
      ],
    });
    expect(response.errors).toEqual([expect.objectContaining({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'ecology' } })]);
  });

  it('does the same when the subgraph times out', async () => {
    const hung = createServer(() => undefined);
    const url = await listening(hung);
    try {
      const source = new SubgraphDataSource('ecology', new SubgraphClient('ecology', url, CALLS), 100);
      const response = await process(source, ENTITIES_QUERY, { representations: representations.slice(0, 1) });
      expect(response.data).toEqual({ _entities: [{ __typename: 'Enterprise', ecologyFindings: null, e: null }] });
      expect(response.errors![0].message).toContain('响应超时');
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });

  it('follows named fragments and type conditions', async () => {
    const source = new SubgraphDataSource('ecology', new SubgraphClient('ecology', await closedPortUrl(), CALLS), 2_000);
    const query = 'query($representations:[_Any!]!){_entities(representations:$representations){...F ...on Other{x}}} fragment F on Enterprise{a b:c}';
    const response = await process(source, query, { representations: [{ __typename: 'Other', id: 1 }, { __typename: 'Enterprise', creditCode: 'A' }] });
    expect(response.data).toEqual({ _entities: [{ __typename: 'Other', x: null }, { __typename: 'Enterprise', a: null, b: null }] });
  });

  it('still throws for a root fetch, and passes on the errors of a subgraph that answered', async () => {
    const down = new SubgraphDataSource('ecology', new SubgraphClient('ecology', await closedPortUrl(), CALLS), 2_000);
    await expect(process(down, '{ ecologyThings { id } }', {})).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });

    const refusing = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'BAD_USER_INPUT' } }] }));
    });
    const url = await listening(refusing);
    try {
      const answered = new SubgraphDataSource('ecology', new SubgraphClient('ecology', url, CALLS), 2_000);
      const response = await process(answered, ENTITIES_QUERY, { representations });
      expect(response).toEqual({ errors: [{ message: 'no', extensions: { code: 'BAD_USER_INPUT' } }] });
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});
