/**
 * Every operation the project shows a user parses and validates against the API schema clients
 * get: the IDE's default tab, examples.graphql, and every ```graphql fence in README.md and
 * docs/*.md. Snippets are found by reading the files, so a new one is covered without editing
 * this test. (Running them is the integration and browser tests' job.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// The supergraph's API schema, computed as the schema pipeline does (scripts/schema-pipeline.ts).
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { EXAMPLE_QUERY } from '../../gateway';
import { DEFAULT_QUERY } from '../../gateway/ide';

const ROOT = join(__dirname, '..', '..');

/** Each ```graphql fence of a Markdown text, with the line its content starts on. */
function graphqlFences(markdown: string): { line: number; source: string }[] {
  const fences: { line: number; source: string }[] = [];
  for (const match of markdown.matchAll(/^([ \t]*)```graphql[ \t]*\r?\n([\s\S]*?)^\1```[ \t]*$/gm)) {
    fences.push({ line: markdown.slice(0, match.index).split('\n').length + 1, source: match[2] });
  }
  return fences;
}

interface Shown {
  where: string;
  source: string;
}

function shownToUsers(): Shown[] {
  const shown: Shown[] = [
    { where: 'the IDE default tab (gateway/index.ts EXAMPLE_QUERY)', source: EXAMPLE_QUERY },
    { where: 'the IDE fallback tab (gateway/ide.ts DEFAULT_QUERY)', source: DEFAULT_QUERY },
    { where: 'examples.graphql', source: readFileSync(join(ROOT, 'examples.graphql'), 'utf8') },
  ];
  const markdown = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const file of markdown) {
    for (const fence of graphqlFences(readFileSync(join(ROOT, file), 'utf8'))) {
      shown.push({ where: `${file}:${fence.line}`, source: fence.source });
    }
  }
  return shown;
}

describe('graphqlFences', () => {
  it('finds graphql fences (indented ones too) and nothing else', () => {
    const markdown = ['# t', '```sh', 'npm start', '```', '```graphql', '{ regions { code } }', '```', '1. step', '   ```graphql', '   query A { x }', '   ```', ''].join('\n');
    expect(graphqlFences(markdown)).toEqual([
      { line: 6, source: '{ regions { code } }\n' },
      { line: 10, source: '   query A { x }\n' },
    ]);
  });
});

describe('every operation shown to a user is valid against the API schema', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = Supergraph.build(readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8')).apiSchema().toGraphQLJSSchema();
  });

  const documents = shownToUsers();

  test.each(documents.map((d) => [d.where, d]))('%s', (_where, { source }) => {
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (error) {
      // graphql-js says what and where, e.g. `Syntax Error: Unexpected character: U+90E8.`
      throw new Error(`does not parse: ${(error as Error).message}`);
    }
    expect(document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length).toBeGreaterThan(0);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  test('the IDE opens on a named operation that needs no token and reads real data', () => {
    const operations = parse(EXAMPLE_QUERY).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.map((o) => o.name?.value)).toEqual(['DepartmentDirectory']);
    expect(EXAMPLE_QUERY).toContain('departments(');
  });

  test('the checks catch the mistake the IDE once shipped', () => {
    expect(() => parse('query 部门目录 { departments { code } }')).toThrow(/Syntax Error/);
    expect(validate(schema, parse('{ departments { codee } }'))).not.toEqual([]);
  });
});
