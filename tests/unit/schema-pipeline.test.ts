import 'reflect-metadata';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Arg, Directive, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import {
  ACCEPTED_FILE,
  apiChanges,
  apiSchemaSdl,
  CHANGELOG_FILE,
  COMPOSITION_VERSION,
  composeSupergraph,
  CompositionError,
  CONFIG_FILE,
  printSubgraphs,
  PUBLISHED_FILE,
  readAcceptedChanges,
  runPipeline,
  shortDiff,
  SUPERGRAPH_FILE,
  type Mode,
  type OwnSubgraph,
} from '../../scripts/schema-pipeline';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

const enterprisesSdl = (fields = 'name: String!\n  registeredCapital: Float') => `${LINK}

type Enterprise @key(fields: "creditCode") {
  creditCode: ID!
  ${fields}
}

type Query {
  enterprise(creditCode: ID!): Enterprise
}
`;

const taxSdl = (fields = 'taxRating: String') => `${LINK}

type Enterprise @key(fields: "creditCode") {
  creditCode: ID!
  ${fields}
}
`;

/** A department's subgraph we only know by its SDL and URL. */
const creditSdl = `${LINK}

type Enterprise @key(fields: "creditCode") {
  creditCode: ID!
  publicCreditLevel: String
}
`;

const own = (enterprises = enterprisesSdl(), tax = taxSdl()): OwnSubgraph[] => [
  { name: 'enterprises', sdl: enterprises, defaultRoutingUrl: 'http://127.0.0.1:4001/graphql' },
  { name: 'tax', sdl: tax, defaultRoutingUrl: 'http://127.0.0.1:4002/graphql' },
];

const OWN_YAML = `federation_version: =${COMPOSITION_VERSION}
subgraphs:
  enterprises:
    routing_url: http://enterprises.internal:8080/graphql
    schema:
      file: ./subgraphs/enterprises.graphql
  tax:
    schema:
      file: ./subgraphs/tax.graphql
`;

const CREDIT_ENTRY = `  credit:
    routing_url: https://credit.example.org/graphql
    schema:
      file: ./subgraphs/credit.graphql
`;

function capture() {
  const lines: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  return {
    out: {
      info: (message: string) => lines.push({ level: 'info', message }),
      warn: (message: string) => lines.push({ level: 'warn', message }),
      error: (message: string) => lines.push({ level: 'error', message }),
    },
    text: (level?: 'info' | 'warn' | 'error') =>
      lines
        .filter((l) => !level || l.level === level)
        .map((l) => l.message)
        .join('\n'),
  };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-pipeline-'));
  write(CONFIG_FILE, OWN_YAML);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = (rel: string) => path.join(dir, rel);
const read = (rel: string) => fs.readFileSync(file(rel), 'utf8');
const exists = (rel: string) => fs.existsSync(file(rel));
function write(rel: string, content: string) {
  fs.mkdirSync(path.dirname(file(rel)), { recursive: true });
  fs.writeFileSync(file(rel), content);
}

const run = async (mode: Mode, subgraphs = own(), today = new Date('2026-03-02T10:00:00Z')) => {
  const c = capture();
  return { code: await runPipeline(mode, { own: subgraphs, schemaDir: dir, out: c.out, today }), ...c };
};
/** A schema dir as committed on main: composed and published. */
async function published(subgraphs = own()) {
  expect((await run('publish', subgraphs)).code).toBe(0);
  expect((await run('check', subgraphs)).code).toBe(0);
}

describe('supergraph.yaml', () => {
  it('is required, with a message saying what it is', async () => {
    fs.rmSync(file(CONFIG_FILE));
    const result = await run('compose');
    expect(result.code).toBe(1);
    expect(result.text('error')).toMatch(/supergraph\.yaml is missing: it lists every subgraph/);
  });

  it('reports YAML syntax errors with the position', async () => {
    write(CONFIG_FILE, 'subgraphs:\n  tax: [\n');
    const result = await run('check');
    expect(result.code).toBe(1);
    expect(result.text('error')).toMatch(/supergraph\.yaml is not valid YAML: .*line 3/s);
  });

  it('reports every unknown key, bad name and bad URL at once, by key path', async () => {
    write(
      CONFIG_FILE,
      `federation_version: =${COMPOSITION_VERSION}
subgraph_defaults: {}
subgraphs:
  enterprises:
    routing_url: ftp://x/graphql
    schema: { file: ./subgraphs/enterprises.graphql }
  tax:
    routing_url: http://127.0.0.1:4002/graphql
    rooting_url: typo
    schema: { file: ./subgraphs/tax.graphql, subgraph_url: http://x/graphql }
  Credit_Dept:
    routing_url: http://x/graphql
    schema: { file: ./subgraphs/credit.graphql }
`,
    );
    const result = await run('compose');
    expect(result.code).toBe(1);
    const err = result.text('error');
    expect(err).toContain('supergraph.yaml is invalid:');
    expect(err).toMatch(/- \(top level\): Unrecognized key.*subgraph_defaults/);
    expect(err).toMatch(/- subgraphs\.enterprises\.routing_url: must be an http\(s\) URL/);
    expect(err).toMatch(/- subgraphs\.tax: Unrecognized key.*rooting_url/);
    expect(err).toMatch(/- subgraphs\.tax\.schema: Unrecognized key.*subgraph_url/);
    expect(err).toContain('- subgraphs.Credit_Dept: a subgraph name is lowercase letters, digits and "-"');
    expect(exists(SUPERGRAPH_FILE)).toBe(false);
  });

  it('requires routing_url and an existing SDL file for an external subgraph', async () => {
    write(CONFIG_FILE, `${OWN_YAML}  credit:\n    schema:\n      file: ./subgraphs/credit.graphql\n  audit:\n    routing_url: http://audit/graphql\n`);
    const err = (await run('compose')).text('error');
    expect(err).toMatch(/- subgraphs\.credit\.routing_url: required for a subgraph not in subgraphs\/registry\.ts/);
    expect(err).toMatch(/- subgraphs\.credit\.schema\.file: .*subgraphs\/credit\.graphql does not exist/);
    expect(err).toMatch(/- subgraphs\.audit\.schema\.file: required for a subgraph not in subgraphs\/registry\.ts/);
  });

  it('names a registry subgraph missing from the file, with the entry to add', async () => {
    write(CONFIG_FILE, `federation_version: 2\nsubgraphs:\n  enterprises:\n    routing_url: http://127.0.0.1:4001/graphql\n`);
    const err = (await run('compose')).text('error');
    expect(err).toContain('subgraphs.tax: missing; it is in subgraphs/registry.ts, so add');
    expect(err).toContain('routing_url: http://127.0.0.1:4002/graphql');
  });

  it('refuses another file for one of ours, a path outside schema/ and a foreign composition version', async () => {
    write(
      CONFIG_FILE,
      OWN_YAML.replace('./subgraphs/tax.graphql', './tax.graphql').replace(`=${COMPOSITION_VERSION}`, '=2.3.0') +
        `  credit:\n    routing_url: http://x/graphql\n    schema:\n      file: ../elsewhere/credit.graphql\n`,
    );
    const err = (await run('compose')).text('error');
    expect(err).toContain(`federation_version: =2.3.0 but this repository composes with @apollo/composition ${COMPOSITION_VERSION}`);
    write(CONFIG_FILE, OWN_YAML.replace('./subgraphs/tax.graphql', './tax.graphql') + `  credit:\n    routing_url: http://x/graphql\n    schema:\n      file: ../elsewhere/credit.graphql\n`);
    const err2 = (await run('compose')).text('error');
    expect(err2).toContain('subgraphs.tax.schema.file: tax is printed from subgraphs/registry.ts into ./subgraphs/tax.graphql');
    expect(err2).toContain('subgraphs.credit.schema.file: must be a path inside');
  });
});

describe('compose', () => {
  it('writes our SDLs and a supergraph whose join__graph URLs are the routing URLs', async () => {
    const result = await run('compose');
    expect(result.code).toBe(0);
    expect(read('subgraphs/enterprises.graphql').split('\n')[0]).toBe('# Generated by npm run compose from subgraphs/enterprises — do not edit.');
    const sg = read(SUPERGRAPH_FILE);
    expect(sg.split('\n')[0]).toBe('# Generated by npm run compose from supergraph.yaml — do not edit.');
    expect(sg).toContain('taxRating: String @join__field(graph: TAX)');
    expect(sg).toContain('@join__graph(name: "enterprises", url: "http://enterprises.internal:8080/graphql")');
    // No routing_url for one of ours: the one-process default.
    expect(sg).toContain('@join__graph(name: "tax", url: "http://127.0.0.1:4002/graphql")');
    expect(sg).not.toContain('.invalid');
    expect(result.text('info')).toContain('wrote');
  });

  it('composes an external subgraph from its SDL file and URL, and leaves that file alone', async () => {
    write(CONFIG_FILE, OWN_YAML + CREDIT_ENTRY);
    write('subgraphs/credit.graphql', creditSdl);
    expect((await run('compose')).code).toBe(0);
    const sg = read(SUPERGRAPH_FILE);
    expect(sg).toContain('@join__graph(name: "credit", url: "https://credit.example.org/graphql")');
    expect(sg).toContain('publicCreditLevel: String @join__field(graph: CREDIT)');
    expect(read('subgraphs/credit.graphql')).toBe(creditSdl);
    expect(apiSchemaSdl(sg)).toContain('publicCreditLevel: String');
  });

  it('is idempotent: a second run writes nothing', async () => {
    await run('compose');
    const again = await run('compose');
    expect(again.code).toBe(0);
    expect(again.text('info')).toContain('Schema files are up to date.');
  });

  it('removes the file of a subgraph that left supergraph.yaml', async () => {
    await run('compose');
    write('subgraphs/old.graphql', '# Generated by npm run compose from subgraphs/old\n');
    const result = await run('compose');
    expect(result.code).toBe(0);
    expect(exists('subgraphs/old.graphql')).toBe(false);
    expect(result.text('info')).toContain('removed schema-pipeline-');
  });

  it('reports composition errors with their messages, writes nothing and exits 1', async () => {
    const conflicting = own(undefined, taxSdl('name: String!'));
    expect(() => composeSupergraph(conflicting.map((s) => ({ ...s, routingUrl: s.defaultRoutingUrl })))).toThrow(CompositionError);
    const result = await run('compose', conflicting);
    expect(result.code).toBe(1);
    expect(result.text('error')).toContain('[INVALID_FIELD_SHARING] Non-shareable field "Enterprise.name"');
    expect(exists(SUPERGRAPH_FILE)).toBe(false);
  });

  it('says when there is no published schema yet, and what is left to publish', async () => {
    expect((await run('compose')).text('warn')).toContain('published/api.graphql is missing: run `npm run schema:publish`');
    await published();
    const result = await run('compose', own(undefined, taxSdl('taxRating: String\n  taxpayerType: String')));
    expect(result.code).toBe(0);
    expect(result.text('info')).toContain('1 change(s) against schema-pipeline-');
  });
});

describe('check', () => {
  it('fails without a published schema, saying to run schema:publish', async () => {
    await run('compose');
    const result = await run('check');
    expect(result.code).toBe(1);
    expect(result.text('error')).toContain('published/api.graphql is missing: the API schema clients rely on must be published; run `npm run schema:publish`');
  });

  it('passes once composed and published', async () => {
    await published();
    expect(read(PUBLISHED_FILE)).toContain('type Enterprise {');
    expect(read(PUBLISHED_FILE)).not.toContain('join__');
    expect(read(CHANGELOG_FILE)).toContain('## 2026-03-02\n\n- First publication of the API schema.');
  });

  it('fails on a hand-edited (stale) supergraph, naming the file and showing a diff', async () => {
    await published();
    write(SUPERGRAPH_FILE, read(SUPERGRAPH_FILE).replace('taxRating: String', 'taxRating: Int'));
    const result = await run('check');
    expect(result.code).toBe(1);
    const err = result.text('error');
    expect(err).toMatch(/supergraph\.graphql is out of date: run `npm run compose`/);
    expect(err).toContain('-  taxRating: Int @join__field(graph: TAX)');
    expect(err).toContain('+  taxRating: String @join__field(graph: TAX)');
  });

  it('refuses a breaking change by path and type, with the entry to accept it', async () => {
    await published();
    const smaller = own(enterprisesSdl('name: String!'));
    await run('compose', smaller);
    const result = await run('check', smaller);
    expect(result.code).toBe(1);
    const err = result.text('error');
    expect(err).toContain('Unaccepted breaking changes against schema-pipeline-');
    expect(err).toContain("BREAKING FIELD_REMOVED Enterprise.registeredCapital: Field 'registeredCapital' was removed from object type 'Enterprise'");
    expect(err).toContain('"path": "Enterprise.registeredCapital"');
    expect(err).toContain('"type": "FIELD_REMOVED"');
  });

  it('still refuses it when schema/supergraph.graphql is deleted or regenerated: the baseline is the published schema', async () => {
    await published();
    const smaller = own(enterprisesSdl('name: String!'));
    fs.rmSync(file(SUPERGRAPH_FILE));
    const missing = await run('check', smaller);
    expect(missing.code).toBe(1);
    expect(missing.text('error')).toMatch(/supergraph\.graphql is missing/);
    expect(missing.text('error')).toContain('FIELD_REMOVED Enterprise.registeredCapital');
    // Regenerating every generated file from the new code changes nothing about that.
    expect((await run('compose', smaller)).code).toBe(0);
    const regenerated = await run('check', smaller);
    expect(regenerated.code).toBe(1);
    expect(regenerated.text('error')).toContain('FIELD_REMOVED Enterprise.registeredCapital');
  });

  it('fails on an unpublished non-breaking change: what is served must be what was published', async () => {
    await published();
    const bigger = own(undefined, taxSdl('taxRating: String\n  taxpayerType: String'));
    await run('compose', bigger);
    const result = await run('check', bigger);
    expect(result.code).toBe(1);
    expect(result.text('error')).toContain('(1 change(s) not published): run `npm run schema:publish`');
    expect(result.text('error')).toContain('NON_BREAKING FIELD_ADDED Enterprise.taxpayerType');
  });

  it('warns about dangerous changes', async () => {
    const withDefault = (value: string) => own(enterprisesSdl().replace('enterprise(creditCode: ID!)', `enterprise(creditCode: ID!, region: String = "${value}")`));
    await published(withDefault('360000'));
    const result = await run('check', withDefault('361000'));
    expect(result.text('warn')).toContain('DANGEROUS FIELD_ARGUMENT_DEFAULT_CHANGED Query.enterprise.region');
  });

  it('rejects a malformed accepted-changes file and an entry that matches no change', async () => {
    await published();
    write(ACCEPTED_FILE, JSON.stringify([{ path: 'Enterprise.x', type: 'FIELD_REMOVED' }]));
    expect(() => readAcceptedChanges(dir)).toThrow(/0\.reason/);
    expect((await run('check')).text('error')).toContain(`${ACCEPTED_FILE} is invalid`);
    write(ACCEPTED_FILE, JSON.stringify([{ path: 'Enterprise.x', type: 'FIELD_REMOVED', reason: 'gone' }]));
    const stale = await run('check');
    expect(stale.code).toBe(1);
    expect(stale.text('error')).toContain('FIELD_REMOVED Enterprise.x matches no breaking change against the published schema: remove the entry');
  });

  it('tolerates CRLF checkouts', async () => {
    await published();
    for (const rel of ['subgraphs/enterprises.graphql', 'subgraphs/tax.graphql', SUPERGRAPH_FILE, PUBLISHED_FILE]) {
      write(rel, read(rel).replace(/\n/g, '\r\n'));
    }
    expect((await run('check')).code).toBe(0);
  });
});

describe('schema:publish', () => {
  const smaller = own(enterprisesSdl('name: String!'));

  it('refuses an unaccepted breaking change and writes nothing under published/', async () => {
    await published();
    const before = read(PUBLISHED_FILE);
    const changelog = read(CHANGELOG_FILE);
    const result = await run('publish', smaller);
    expect(result.code).toBe(1);
    expect(result.text('error')).toContain('Refusing to publish: unaccepted breaking changes');
    expect(result.text('error')).toContain('FIELD_REMOVED Enterprise.registeredCapital');
    expect(read(PUBLISHED_FILE)).toBe(before);
    expect(read(CHANGELOG_FILE)).toBe(changelog);
  });

  it('publishes a breaking change accepted by path, records the reason and clears the entry', async () => {
    await published();
    const keep = { path: 'Enterprise.name', type: 'FIELD_TYPE_CHANGED', reason: 'not yet' };
    write(
      ACCEPTED_FILE,
      JSON.stringify([{ path: 'Enterprise.registeredCapital', type: 'FIELD_REMOVED', reason: '无客户端使用（已查访问日志）' }, keep]),
    );
    const result = await run('publish', smaller, new Date('2026-04-01T00:00:00Z'));
    expect(result.code).toBe(0);
    expect(result.text('warn')).toContain('FIELD_TYPE_CHANGED Enterprise.name matches no change');
    expect(read(PUBLISHED_FILE)).not.toContain('registeredCapital');
    const changelog = read(CHANGELOG_FILE);
    expect(changelog).toContain(
      "## 2026-04-01\n\n- **BREAKING** `Enterprise.registeredCapital` Field 'registeredCapital' was removed from object type 'Enterprise' — accepted: 无客户端使用（已查访问日志）",
    );
    // Newest first, the first publication kept below.
    expect(changelog.indexOf('## 2026-04-01')).toBeLessThan(changelog.indexOf('## 2026-03-02'));
    expect(JSON.parse(read(ACCEPTED_FILE))).toEqual([keep]);
    // The stale entry left behind is what check now objects to; without it check passes.
    expect((await run('check', smaller)).code).toBe(1);
    write(ACCEPTED_FILE, '[]');
    expect((await run('check', smaller)).code).toBe(0);
  });

  it('moves forward on non-breaking changes and says when there is nothing to publish', async () => {
    await published();
    const bigger = own(undefined, taxSdl('taxRating: String\n  taxpayerType: String'));
    expect((await run('publish', bigger, new Date('2026-05-05T00:00:00Z'))).code).toBe(0);
    expect(read(CHANGELOG_FILE)).toContain("## 2026-05-05\n\n- `Enterprise.taxpayerType` Field 'taxpayerType' was added to object type 'Enterprise'");
    expect(read(PUBLISHED_FILE)).toContain('taxpayerType: String');
    expect((await run('check', bigger)).code).toBe(0);
    expect((await run('publish', bigger)).text('info')).toContain('nothing to publish');
  });

  it('does not accept a deleted published schema as a fresh start', async () => {
    await published();
    fs.rmSync(file(PUBLISHED_FILE));
    const result = await run('publish', smaller);
    expect(result.code).toBe(1);
    expect(result.text('error')).toContain('is missing although schema-pipeline-');
    expect(result.text('error')).toContain('git checkout -- schema/published/api.graphql');
    expect(exists(PUBLISHED_FILE)).toBe(false);
  });
});

describe('apiChanges', () => {
  const sg = (subgraphs: OwnSubgraph[], url = 'http://a/graphql') =>
    composeSupergraph(subgraphs.map((s) => ({ ...s, routingUrl: url }))).supergraphSdl;

  it('ignores join/link internals such as subgraph URLs', async () => {
    expect(await apiChanges(apiSchemaSdl(sg(own())), apiSchemaSdl(sg(own(), 'http://b/graphql')))).toEqual([]);
  });

  it("flags a field's type change as breaking, by path", async () => {
    const changes = await apiChanges(apiSchemaSdl(sg(own())), apiSchemaSdl(sg(own(enterprisesSdl('name: Int!\n  registeredCapital: Float')))));
    expect(changes).toEqual([
      { type: 'FIELD_TYPE_CHANGED', path: 'Enterprise.name', criticality: 'BREAKING', message: "Field 'Enterprise.name' changed type from 'String!' to 'Int!'" },
    ]);
  });
});

describe('printSubgraphs', () => {
  it('prints a type-graphql subgraph through the kit, ready to compose', async () => {
    @Directive('@key(fields: "creditCode")')
    @ObjectType()
    class Enterprise {
      @Field(() => ID)
      creditCode!: string;

      @Field()
      name!: string;
    }

    @Resolver(() => Enterprise)
    class EnterpriseResolver {
      @Query(() => Enterprise, { nullable: true })
      enterprise(@Arg('creditCode', () => ID) creditCode: string): Enterprise | null {
        return Object.assign(new Enterprise(), { creditCode, name: 'x' });
      }
    }

    const definition = {
      name: 'enterprises',
      owner: 'test',
      resolvers: [EnterpriseResolver],
      entities: [],
      migrations: { sqlite: [], postgresql: [] },
      createLoaders: () => ({}),
    } as unknown as Parameters<typeof printSubgraphs>[0][number];

    const [printed] = await printSubgraphs([definition]);
    expect(printed.name).toBe('enterprises');
    expect(printed.sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    expect(printed.sdl).toContain('@key(fields: "creditCode")');
    expect(printed.sdl).not.toContain('_service');
    const { supergraphSdl } = composeSupergraph([
      { ...printed, routingUrl: 'http://a/graphql' },
      { name: 'tax', sdl: taxSdl(), routingUrl: 'http://b/graphql' },
    ]);
    expect(supergraphSdl).toContain('taxRating: String @join__field(graph: TAX)');
  });
});

describe('shortDiff', () => {
  it('shows the first differing lines with context and truncates long hunks', () => {
    const a = ['a', 'b', 'c', 'd', 'e'].join('\n');
    const b = ['a', 'b', 'X', 'd', 'e'].join('\n');
    expect(shortDiff('f', a, b)).toBe(['--- f (committed)', '+++ f (generated)', '@@ -3,1 +3,1 @@', ' a', ' b', '-c', '+X'].join('\n'));
    const long = Array.from({ length: 20 }, (_, i) => `n${i}`).join('\n');
    expect(shortDiff('f', '', long, 3)).toContain('+… 17 more line(s)');
  });
});
