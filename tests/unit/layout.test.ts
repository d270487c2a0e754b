import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..', '..');

/** Every module a fresh Node process has loaded after requiring `entry` (through the TS hook). */
function modulesLoadedBy(entry: string): string[] {
  const script = `require('reflect-metadata'); require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, ['-r', join(root, 'tests/support/swc-register.js'), '-e', script], { cwd: root, encoding: 'utf8' });
  return (JSON.parse(out) as string[]).map((file) => relative(root, file));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a TypeScript file, resolved to paths from the project root. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import|require)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.map((specifier) => relative(root, resolve(dirname(file), specifier)));
}

describe('the layout tells the architecture', () => {
  test('the gateway process loads no subgraph code, no entity, no ORM and no database driver', () => {
    const loaded = modulesLoadedBy('./gateway');
    expect(loaded.some((file) => file.startsWith('gateway/'))).toBe(true);
    const forbidden = loaded.filter(
      (file) =>
        file.startsWith('subgraphs/') ||
        file.startsWith('demo/') ||
        /node_modules\/(@mikro-orm|better-sqlite3|pg|pg-pool|knex)\//.test(file),
    );
    expect(forbidden).toEqual([]);
  });

  test('the same entry through main.ts: `npm start -- gateway` never imports the registry at load time', () => {
    const main = readFileSync(join(root, 'main.ts'), 'utf8');
    // Static imports of main.ts are what every piece pays; subgraph code must be loaded on demand.
    const staticImports = [...main.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
    expect(staticImports.filter((s) => s.includes('subgraphs'))).toEqual([]);
  });

  test('县人社局’s own system (examples/department-system) imports nothing of ours: it stands for a department’s code, joined by SDL and URL only', () => {
    const dir = 'examples/department-system';
    const crossings = sourceFiles(join(root, dir)).flatMap((file) =>
      relativeImports(file)
        .filter((target) => !target.startsWith(`${dir}/`) && target !== dir)
        .map((target) => `${relative(root, file)} → ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  test('no subgraph imports another subgraph’s code; the platform imports no subgraph code', () => {
    const dirsOf = (parent: string) => readdirSync(join(root, parent)).filter((name) => statSync(join(root, parent, name)).isDirectory()).map((name) => `${parent}/${name}`);
    // Our subgraphs: subgraphs/<name>, and the joint-audit sources subgraphs/sources/<name> on their kit.
    const subgraphDirs = [...dirsOf('subgraphs').filter((d) => !['subgraphs/kit', 'subgraphs/sources'].includes(d)), ...dirsOf('subgraphs/sources').filter((d) => d !== 'subgraphs/sources/kit')];
    expect(subgraphDirs).toEqual(expect.arrayContaining(['subgraphs/enterprises', 'subgraphs/sources/tax', 'subgraphs/sources/credit']));
    const crossings: string[] = [];
    for (const dir of subgraphDirs) {
      const shared = dir.startsWith('subgraphs/sources/') ? ['subgraphs/sources/kit/'] : [];
      for (const file of sourceFiles(join(root, dir))) {
        for (const target of relativeImports(file)) {
          const allowed = [`${dir}/`, 'subgraphs/kit/', ...shared, 'platform/', 'demo/'].some((prefix) => target.startsWith(prefix)) || (shared.length > 0 && target === 'subgraphs/sources/kit');
          if (!allowed) crossings.push(`${relative(root, file)} → ${target}`);
        }
      }
    }
    // The source kit is a kit: it reaches no source.
    for (const file of sourceFiles(join(root, 'subgraphs/sources/kit'))) {
      for (const target of relativeImports(file)) {
        if (target.startsWith('subgraphs/') && !target.startsWith('subgraphs/kit/') && !target.startsWith('subgraphs/sources/kit/')) crossings.push(`${relative(root, file)} → ${target}`);
      }
    }
    for (const dir of ['platform', 'subgraphs/kit', 'demo']) {
      for (const file of sourceFiles(join(root, dir))) {
        for (const target of relativeImports(file)) {
          const reachesSubgraph = target.startsWith('subgraphs/') && !target.startsWith('subgraphs/kit/');
          const platformReachesDown = dir === 'platform' && !target.startsWith('platform/');
          if (reachesSubgraph || platformReachesDown) crossings.push(`${relative(root, file)} → ${target}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });
});
