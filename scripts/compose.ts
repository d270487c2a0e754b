/**
 * `npm run compose`        (no args) print every registry subgraph's SDL to schema/subgraphs/ and
 *                          compose schema/supergraph.graphql; refuses unaccepted breaking changes.
 * `npm run compose:check`  (--check, CI) write nothing; exit 1 if schema/ is stale or breaking.
 *
 * Env: SCHEMA_BASE_REF=<git ref> makes --check also compare the committed supergraph with the one
 * at that ref (e.g. origin/main in a pull request), so a breaking change cannot slip in by
 * committing a regenerated schema/ together with the code.
 *
 * The supergraph's subgraph URLs are placeholders (see placeholderUrl); the gateway routes by its
 * own service list.
 */
import * as fs from 'fs';
import * as path from 'path';
import { printSubgraphs, runPipeline, type Output } from './schema-pipeline';

// Runs both from dist/scripts (compiled) and scripts/ (ts-node/swc), so find the root by package.json.
function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const out: Output = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(`warning: ${m}`),
  error: (m) => console.error(m),
};

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length) {
    console.error(`Unknown argument(s): ${unknown.join(' ')}\nUsage: compose [--check]`);
    return 2;
  }
  // Loaded here, not at the top, so a broken subgraph surfaces as a message and exit 1.
  const { subgraphs } = await import('../subgraphs/registry');
  const sdls = await printSubgraphs(subgraphs);
  return runPipeline(check ? 'check' : 'compose', {
    subgraphs: sdls,
    schemaDir: path.join(projectRoot(), 'schema'),
    baseRef: process.env.SCHEMA_BASE_REF?.trim() || undefined,
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
