import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { IDENTITY_HEADER } from '../../platform/identity';
import { peerIdentity, peerPort } from './identity';

/**
 * The stock peer of `npm run bench -- --peers`: ApolloServer + ApolloGateway with nothing added
 * but `buildService` setting the identity header our subgraphs require. The same @apollo/gateway
 * and @apollo/server copies as our gateway (the project's own), so the comparison shows what our
 * additions cost or save. Env: PORT, SUPERGRAPH_PATH, GATEWAY_PRIVATE_KEY, BENCH_IDENTITY.
 */
async function main(): Promise<void> {
  const sign = await peerIdentity();
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? '', 'utf8'),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url,
        async willSendRequest({ request }) {
          request.http?.headers.set(IDENTITY_HEADER, await sign(name));
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: peerPort(), host: '127.0.0.1' } });
  // Apollo Server stops itself on SIGTERM (its default outside NODE_ENV=test).
  process.stdout.write(`stock @apollo/gateway listening at ${url}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
