import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_QUERY, IDE_ASSET_PREFIX, ideAsset, ideHtml, ideLandingPagePlugin } from '../../gateway/ide';

const ASSET_NAMES = ['graphiql.min.js', 'graphiql.min.css', 'react.production.min.js', 'react-dom.production.min.js'];

/** The configuration the page's bootstrap script hands GraphiQL, read back out of the HTML. */
function configOf(html: string): { endpoint: string; defaultQuery: string; defaultHeaders: string } {
  const match = /var config = (\{.*\});\n/.exec(html);
  if (!match) throw new Error('no GraphiQL configuration in the page');
  return JSON.parse(match[1]);
}

describe('ideHtml', () => {
  const html = ideHtml({ endpoint: '/graphql' });

  it('is a Chinese page with the project title', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<title>亲清赣商 · qinqing-hub GraphQL</title>');
  });

  it('loads nothing from a CDN: no http(s) URL at all', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/(src|href)="\/\//); // protocol-relative
  });

  it('references only /ide/ assets, and each of them resolves', () => {
    const refs = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]).filter((ref) => !ref.startsWith('data:'));
    expect(refs.sort()).toEqual(ASSET_NAMES.map((name) => IDE_ASSET_PREFIX + name).sort());
    for (const ref of refs) expect(ideAsset(ref)).toBeDefined();
  });

  it('configures GraphiQL with a fetcher, the headers hint and the default query', () => {
    expect(html).toContain('GraphiQL.createFetcher');
    expect(html).toContain('"endpoint":"/graphql"');
    expect(html).toContain('isHeadersEditorEnabled: true');
    expect(configOf(html)).toEqual({
      endpoint: '/graphql',
      defaultQuery: DEFAULT_QUERY,
      defaultHeaders: JSON.stringify({ Authorization: 'Bearer <token from npm run token>' }, null, 2),
    });
    const custom = ideHtml({ endpoint: '/api/graphql', defaultQuery: '{ me { id } }', title: 'T' });
    expect(configOf(custom)).toMatchObject({ endpoint: '/api/graphql', defaultQuery: '{ me { id } }' });
    expect(custom).toContain('<title>T</title>');
  });

  it('cannot be broken out of by the options', () => {
    const hostile = ideHtml({
      endpoint: '/graphql',
      defaultQuery: '# </script><script>alert(1)</script>\u2028',
      title: '</title><script>alert(2)</script>',
    });
    expect(hostile).not.toContain('alert(1)</script>');
    expect(hostile).not.toContain('<script>alert(2)');
    expect(hostile).not.toContain('\u2028');
    expect(hostile.match(/<\/script>/g)).toHaveLength(4); // the three assets and the bootstrap
  });
});

describe('ideAsset', () => {
  it('serves the allow-listed files from node_modules with their content types', () => {
    const js = ideAsset('/ide/graphiql.min.js');
    const graphiqlDir = dirname(require.resolve('graphiql/package.json'));
    expect(js?.contentType).toBe('application/javascript; charset=utf-8');
    expect(js?.body.equals(readFileSync(join(graphiqlDir, 'graphiql.min.js')))).toBe(true);
    expect(ideAsset('/ide/graphiql.min.css')?.contentType).toBe('text/css; charset=utf-8');
    expect(ideAsset('/ide/react.production.min.js')?.body.toString('utf8', 0, 200)).toContain('React');
    expect(ideAsset('/ide/react-dom.production.min.js')?.body.length).toBeGreaterThan(10_000);
  });

  it('reads each file once', () => {
    const first = ideAsset('/ide/graphiql.min.css');
    expect(first?.body.length).toBeGreaterThan(0);
    expect(ideAsset('/ide/graphiql.min.css?v=2')?.body).toBe(first?.body);
  });

  it.each([
    '/ide/unknown.js',
    '/ide/',
    '/ide',
    '/graphiql.min.js',
    '/ide/../package.json',
    '/ide/..%2Fpackage.json',
    '/ide/umd/react.production.min.js',
    '/ide/../../react/umd/react.production.min.js',
    '/ide//etc/passwd',
    '/ide/%2e%2e/%2e%2e/etc/passwd',
    '/ide/graphiql.min.js/..',
    '/ide/__proto__',
    '/ide/constructor',
    '/IDE/graphiql.min.js',
  ])('refuses %s', (path) => {
    expect(ideAsset(path)).toBeUndefined();
  });
});

describe('ideLandingPagePlugin', () => {
  it('renders the IDE page, with the endpoint and default tab it was given, as the landing page', async () => {
    const plugin = ideLandingPagePlugin({ endpoint: '/gql', defaultQuery: 'query Probe { regions { code } }' });
    const listener = await plugin.serverWillStart?.({} as never);
    const page = await listener?.renderLandingPage?.();
    const html = page?.html;
    if (typeof html !== 'string') throw new Error('the plugin rendered no HTML landing page');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(configOf(html)).toMatchObject({ endpoint: '/gql', defaultQuery: 'query Probe { regions { code } }' });
  });
});
