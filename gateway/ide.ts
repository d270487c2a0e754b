/**
 * The in-browser GraphQL IDE, served entirely from node_modules: the county network has no
 * internet, so Apollo's default landing page (loaded from a CDN) shows a blank page there.
 * GraphiQL 3's UMD bundle (fonts inlined in its CSS) runs on React 18's UMD builds; all four files
 * are served by the gateway under IDE_ASSET_PREFIX, so the page makes no request off the host.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

export const IDE_ASSET_PREFIX = '/ide/';

export interface IdeOptions {
  /** Where the IDE POSTs queries, e.g. `/graphql`. */
  endpoint: string;
  defaultQuery?: string;
  title?: string;
}

const DEFAULT_TITLE = '亲清赣商 · qinqing-hub GraphQL';

/** A placeholder, not a token: the page drops any header still containing `<…>` (see ideHtml). */
const DEFAULT_HEADERS = JSON.stringify({ Authorization: 'Bearer <token from npm run token>' }, null, 2);

/** Used when the caller gives none; like every operation shown to a user, validated in tests. */
export const DEFAULT_QUERY = `# 亲清赣商 · qinqing-hub GraphQL
#
# 查询需登录的数据：运行 npm run token 生成令牌，
# 替换下方 Headers 里的 <token from npm run token>
# （占位符未替换时不发送 Authorization 请求头）。
# 左侧「文档」图标可浏览类型与字段；Ctrl+Enter 执行。

query {
  __typename
}
`;

interface AssetSource {
  /** Package whose package.json locates the file (works wherever node_modules is). */
  pkg: string;
  file: string;
  contentType: string;
}

const JS = 'application/javascript; charset=utf-8';

/** The only files served: the public name is the whole path after IDE_ASSET_PREFIX. */
const ASSETS = new Map<string, AssetSource>([
  ['react.production.min.js', { pkg: 'react', file: 'umd/react.production.min.js', contentType: JS }],
  ['react-dom.production.min.js', { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: JS }],
  ['graphiql.min.js', { pkg: 'graphiql', file: 'graphiql.min.js', contentType: JS }],
  ['graphiql.min.css', { pkg: 'graphiql', file: 'graphiql.min.css', contentType: 'text/css; charset=utf-8' }],
]);

const assetCache = new Map<string, { body: Buffer; contentType: string }>();

/**
 * The file for a request path under IDE_ASSET_PREFIX (query string ignored), read once and
 * cached; undefined for anything not on the allow-list, so no path reaches the file system.
 */
export function ideAsset(path: string): { body: Buffer; contentType: string } | undefined {
  const pathname = path.split(/[?#]/, 1)[0];
  if (!pathname.startsWith(IDE_ASSET_PREFIX)) return undefined;
  const name = pathname.slice(IDE_ASSET_PREFIX.length);
  const source = ASSETS.get(name);
  if (!source) return undefined;
  let asset = assetCache.get(name);
  if (!asset) {
    const packageDir = dirname(require.resolve(`${source.pkg}/package.json`));
    asset = { body: readFileSync(join(packageDir, source.file)), contentType: source.contentType };
    assetCache.set(name, asset);
  }
  return asset;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON that is safe inside <script>: no `</script>`, `<!--` or JS-breaking line separators. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** The IDE page; it references only IDE_ASSET_PREFIX assets and the endpoint. */
export function ideHtml(options: IdeOptions): string {
  const title = options.title ?? DEFAULT_TITLE;
  const config = {
    endpoint: options.endpoint,
    defaultQuery: options.defaultQuery ?? DEFAULT_QUERY,
    defaultHeaders: DEFAULT_HEADERS,
  };
  const asset = (name: string) => escapeHtml(IDE_ASSET_PREFIX + name);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; overflow: hidden; }</style>
</head>
<body>
<div id="graphiql"><noscript>此页面需要启用 JavaScript 才能使用 GraphQL 调试界面。</noscript></div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script>
(function () {
  var config = ${scriptJson(config)};
  var send = GraphiQL.createFetcher({ url: config.endpoint });
  // The default Authorization header is a hint; sending it would get every request refused as
  // a bad token, so headers still holding a <placeholder> are left out until the user fills them.
  function fetcher(params, opts) {
    var headers = {};
    var given = (opts && opts.headers) || {};
    Object.keys(given).forEach(function (name) {
      var value = given[name];
      if (!(typeof value === 'string' && /<[^>]*>/.test(value))) headers[name] = value;
    });
    return send(params, Object.assign({}, opts, { headers: headers }));
  }
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.defaultQuery,
      defaultHeaders: config.defaultHeaders,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
      // Tokens stay out of localStorage on shared office machines.
      shouldPersistHeaders: false
    })
  );
})();
</script>
</body>
</html>
`;
}

/**
 * The page's Content-Security-Policy: scripts and styles from this host plus, by hash, exactly the
 * page's own inline <script> and <style>; fonts are inlined in GraphiQL's CSS as data: URIs; the
 * IDE talks to this host only. Nothing loads from elsewhere and the page cannot be framed.
 */
export function ideContentSecurityPolicy(options: IdeOptions): string {
  const html = ideHtml(options);
  const hashes = (tag: 'script' | 'style') =>
    [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))]
      .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`)
      .join(' ');
  return [
    "default-src 'none'",
    `script-src 'self' ${hashes('script')}`,
    `style-src 'self' ${hashes('style')}`,
    "font-src 'self' data:",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Landing page for ApolloServer outside production (use ApolloServerPluginLandingPageDisabled in
 * production). The gateway must also answer GETs under IDE_ASSET_PREFIX with ideAsset().
 */
export function ideLandingPagePlugin(options: IdeOptions): ApolloServerPlugin<BaseContext> {
  return {
    async serverWillStart() {
      const html = ideHtml(options);
      return { renderLandingPage: async () => ({ html }) };
    },
  };
}
