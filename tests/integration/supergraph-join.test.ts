import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPOSITION_VERSION, runPipeline, SUPERGRAPH_FILE } from '../../scripts/schema-pipeline';
import { RATING_SDL_PATH, levelOf, startRatingSubgraph } from '../fixtures/external-subgraph/server';
import { describeDb } from '../support/db';
import { postGraphql, startTestGraph, type TestGraph } from '../support/graph';
import { subgraphs } from '../../subgraphs/registry';

const SCHEMA_DIR = join(__dirname, '..', '..', 'schema');

/**
 * A department's subgraph joins a running gateway: an entry in supergraph.yaml (SDL file + URL),
 * `compose`, and the new supergraph file is picked up by the gateway's polling. No restart, no
 * rebuild, nothing of the department's code in this repository.
 */
describeDb('an external subgraph joins the running gateway', () => {
  let graph: TestGraph;
  let rating: Awaited<ReturnType<typeof startRatingSubgraph>>;
  let schemaDir: string;

  beforeAll(async () => {
    graph = await startTestGraph();
    rating = await startRatingSubgraph({ jwksUrl: graph.gatewayUrl.replace('/graphql', '/.well-known/jwks.json') });
    schemaDir = mkdtempSync(join(tmpdir(), 'qinqing-join-'));
  });
  afterAll(async () => {
    await graph?.stop();
    await rating?.stop();
    if (schemaDir) rmSync(schemaDir, { recursive: true, force: true });
  });

  /** What a department does: its SDL under schema/subgraphs/, an entry in supergraph.yaml, `npm run compose`. */
  async function composeWithCredit(): Promise<string> {
    mkdirSync(join(schemaDir, 'subgraphs'));
    copyFileSync(RATING_SDL_PATH, join(schemaDir, 'subgraphs', 'rating.graphql'));
    // The external subgraphs already in the graph keep their committed SDL (县人社局's hrss).
    for (const file of readdirSync(join(SCHEMA_DIR, 'subgraphs')).filter((f) => !subgraphs.some((s) => `${s.name}.graphql` === f))) {
      copyFileSync(join(SCHEMA_DIR, 'subgraphs', file), join(schemaDir, 'subgraphs', file));
    }
    const yaml = readFileSync(join(SCHEMA_DIR, 'supergraph.yaml'), 'utf8');
    expect(yaml).toContain(`federation_version: =${COMPOSITION_VERSION}`);
    writeFileSync(
      join(schemaDir, 'supergraph.yaml'),
      `${yaml}\n  rating:\n    routing_url: ${rating.url}\n    schema:\n      file: ./subgraphs/rating.graphql\n`,
    );
    // Our subgraphs' SDL as committed (what `compose` printed from the registry).
    const own = subgraphs.map(({ name }) => ({
      name,
      sdl: readFileSync(join(SCHEMA_DIR, 'subgraphs', `${name}.graphql`), 'utf8'),
      defaultRoutingUrl: graph.subgraphs[name].http.url,
    }));
    expect(Object.keys(graph.subgraphs).sort()).toEqual(own.map((s) => s.name).sort());
    const errors: string[] = [];
    const code = await runPipeline('compose', {
      own,
      schemaDir,
      out: { info: () => undefined, warn: () => undefined, error: (m) => errors.push(m) },
    });
    expect({ code, errors }).toEqual({ code: 0, errors: [] });
    return readFileSync(join(schemaDir, SUPERGRAPH_FILE), 'utf8');
  }

  test('write the recomposed supergraph, and the new fields answer through the gateway', async () => {
    const levels = () => graph.query('{ publicCreditLevels }');
    const before = await levels();
    expect(before.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const supergraph = await composeWithCredit();
    expect(supergraph).toContain(`@join__graph(name: "rating", url: "${rating.url}")`);
    writeFileSync(graph.supergraphPath, supergraph);

    // Wait for the reload: the gateway polls the file; the field validates once it has swapped.
    const deadline = Date.now() + 20_000;
    let after = await levels();
    while (after.body.errors && Date.now() < deadline) {
      expect(after.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await levels();
    }
    expect(after.body).toEqual({ data: { publicCreditLevels: ['A', 'B', 'C', 'D'] } });

    // An entity join across our enterprises subgraph and theirs.
    const token = await graph.token({ role: 'AUDITOR' });
    const list = await graph.query('{ enterprises(first: 3) { nodes { creditCode name publicCreditLevel } } }', {}, token);
    expect(list.body.errors).toBeUndefined();
    const nodes = list.body.data.enterprises.nodes as { creditCode: string; name: string; publicCreditLevel: string }[];
    expect(nodes.length).toBe(3);
    for (const node of nodes) {
      expect(typeof node.name).toBe('string');
      expect(node.publicCreditLevel).toBe(levelOf(node.creditCode));
    }
    expect(rating.entityCalls()).toBe(3);

    // The gateway's calls passed the department's own check of the identity header; a call that
    // did not come through the gateway does not.
    const direct = await postGraphql(rating.url, { query: '{ publicCreditLevels }' });
    expect(direct.status).toBe(401);
    expect(direct.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');

    // Readiness follows the supergraph being served: the newcomer is checked too.
    const ready = await graph.gateway.readiness();
    expect(ready.subgraphs).toEqual({ ...Object.fromEntries(subgraphs.map((s) => [s.name, 'ok'])), hrss: 'ok', rating: 'ok' });
  });
});
