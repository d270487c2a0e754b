/**
 * `npm run compose`         print each registry subgraph's SDL into schema/subgraphs/, compose every
 *                           subgraph of schema/supergraph.yaml into schema/supergraph.graphql.
 * `npm run compose:check`   (--check, CI) write nothing; exit 1 if schema/ is stale, the published
 *                           API schema is missing, or the code's API schema is not what was published
 *                           (unaccepted breaking changes are named, with the entry to accept them).
 * `npm run schema:publish`  (--publish) compose, then move schema/published/ forward.
 */
import * as path from 'path';
import { loadConfig } from '../platform/config';
import { printSubgraphs, runPipeline, type Mode, type Output } from './schema-pipeline';
import { projectRoot } from './project-root';

const out: Output = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(`warning: ${m}`),
  error: (m) => console.error(m),
};

const FLAGS: Record<string, Mode> = { '--check': 'check', '--publish': 'publish' };

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => !(a in FLAGS));
  if (unknown.length || argv.length > 1) {
    console.error(`Unknown argument(s): ${argv.join(' ')}\nUsage: compose [--check | --publish]`);
    return 2;
  }
  const mode: Mode = argv.length ? FLAGS[argv[0]] : 'compose';
  // Loaded here, not at the top, so a broken subgraph surfaces as a message and exit 1.
  const { subgraphs, subgraphPort } = await import('../subgraphs/registry');
  // Our subgraphs' default routing_url: where the one-process `npm start` puts them with no env set.
  const defaults = loadConfig({ NODE_ENV: 'development' });
  const printed = await printSubgraphs(subgraphs);
  return runPipeline(mode, {
    own: printed.map(({ name, sdl }) => ({
      name,
      sdl,
      defaultRoutingUrl: `http://${defaults.host}:${subgraphPort(defaults.subgraphPortBase, name)}/graphql`,
    })),
    schemaDir: path.join(projectRoot(), 'schema'),
    out,
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
