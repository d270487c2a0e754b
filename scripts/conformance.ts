/**
 * `npm run conformance -- <url> [--name <subgraph>] [--key <gateway private key PEM file>] [--known <key>,…]`
 *
 * The department contract (docs/department-contract.md), checked from the outside against a running
 * subgraph in any language. It plays the gateway: signs `x-qinqing-identity` for `aud = <name>` with
 * the gateway's private key (default: the dev key `npm start` generated under DATA_DIR/dev-keys/)
 * and checks, each on a line of its own (PASS / FAIL / SKIP), exit code 1 on any failure:
 *   ready      GET /ready answers 200, without an identity (the gateway asks it so)
 *   sdl        `_service { sdl }` (signed) is Federation 2 SDL (`@link` to the federation spec)
 *   compose    that SDL composes with every other subgraph of schema/supergraph.yaml
 *   committed  … and is what is committed under schema/subgraphs/ (what the gateway plans with)
 *   entities   `_entities`: N representations (known and unknown keys) → N answers in order,
 *              unknown ones null, in one request; a batch of 50 likewise
 *   identity   no header, an unsigned (alg none) one, one signed with another key, expired, without
 *              exp, for another subgraph, from another issuer → 401 UNAUTHENTICATED, for
 *              `{ __typename }`, `_service` and `_entities` alike
 *   errors     malformed representations, hostile and wrongly typed arguments of every Query field,
 *              a document that does not parse → a coded error (never INTERNAL_SERVER_ERROR)
 *   leaks      no answer carries a stack trace or SQL
 * `runConformance()` is the same as a function (tests call it).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
} from 'graphql';
import { importPKCS8, SignJWT } from 'jose';
import { makeCreditCode, CREDIT_CODE_CHARSET } from '../platform/credit-code';
import { DEV_GATEWAY_KEY_FILE, devKeyPath } from '../platform/dev-keys';
import { createIdentitySigner, GATEWAY_ISSUER, IDENTITY_ALGORITHM, IDENTITY_HEADER, Roles, type Identity } from '../platform/identity';
import { composeSupergraph, readSupergraphConfig, resolveSubgraphs, shortDiff, type ResolvedSubgraph } from './schema-pipeline';
import { projectRoot } from './project-root';

export type CheckStatus = 'pass' | 'fail' | 'skip';
export interface CheckResult {
  group: 'ready' | 'sdl' | 'compose' | 'committed' | 'entities' | 'identity' | 'errors' | 'leaks';
  status: CheckStatus;
  /** One line: what was asked and what came back. */
  message: string;
}

export interface ConformanceOptions {
  /** The subgraph's GraphQL endpoint, e.g. http://127.0.0.1:4020/graphql. */
  url: string;
  /** Its name in the graph: the `aud` of its identity headers. Default: the supergraph.yaml entry routed to `url`. */
  name?: string;
  /** The gateway's Ed25519 private key (PKCS#8 PEM) the subgraph trusts. */
  privateKey: string;
  /** Where supergraph.yaml and subgraphs/*.graphql are (default: this repository's schema/). */
  schemaDir?: string;
  /** The entity to batch (default: Application if the subgraph has it, else its first `@key` type). */
  entity?: string;
  /** Key values of records the subgraph has, visible to `identity` (single-field keys only). */
  known?: string[];
  /** Who the signed calls come from (default: the AUDITOR, who reads everything and writes nothing). */
  identity?: Identity;
  /** Each request's deadline (default 10 s). */
  timeoutMs?: number;
  /** Each result as it is decided (the CLI prints them). */
  onResult?: (result: CheckResult) => void;
}

export interface ConformanceReport {
  name: string;
  ok: boolean;
  results: CheckResult[];
}

interface Answer {
  status: number;
  body: any;
  text: string;
}

const DEFAULT_IDENTITY: Identity = { role: 'AUDITOR', subject: 'conformance' };
const SERVICE_QUERY = '{ _service { sdl } }';
const FEDERATION_2_LINK = /@link\(\s*url:\s*"https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/;
const STACK_LINE = /\n\s+at .+[:(]\d+:\d+\)?|\bat (?:async )?[\w$.<>]+ \([^)]*:\d+:\d+\)/;
const SQL_TEXT = /\bSQLITE_[A-Z]+\b|\bsyntax error at or near\b|\b(?:select|update|delete)\b[^。]{1,200}\b(?:from|set|where)\b\s+["`\w]/i;

const short = (value: unknown, max = 160) => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

const codesOf = (answer: Answer): unknown[] => (Array.isArray(answer.body?.errors) ? answer.body.errors.map((e: any) => e?.extensions?.code) : []);

/** Entity types of an SDL with the fields of their (resolvable) keys, and each key field's named type. */
export function entityTypesOf(document: DocumentNode): { type: string; keyFields: string[]; keyTypes: Record<string, string> }[] {
  const found = new Map<string, { type: string; keyFields: string[]; keyTypes: Record<string, string> }>();
  const definitions = document.definitions.filter(
    (d): d is ObjectTypeDefinitionNode | ObjectTypeExtensionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION,
  );
  for (const definition of definitions) {
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'key' || found.has(definition.name.value)) continue;
      const argument = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
      const fields = argument('fields');
      const resolvable = argument('resolvable');
      if (fields?.kind !== Kind.STRING || (resolvable?.kind === Kind.BOOLEAN && !resolvable.value)) continue;
      const keyFields = fields.value.trim().split(/\s+/);
      const keyTypes: Record<string, string> = {};
      for (const field of definitions.filter((d) => d.name.value === definition.name.value).flatMap((d) => d.fields ?? [])) {
        let type = field.type;
        while (type.kind !== Kind.NAMED_TYPE) type = type.type;
        keyTypes[field.name.value] = type.name.value;
      }
      found.set(definition.name.value, { type: definition.name.value, keyFields, keyTypes });
    }
  }
  return [...found.values()];
}

/** A key value no subgraph has: a fresh UUID, or for our CreditCode scalar a valid code nobody registered. */
function unknownKey(scalar: string): unknown {
  if (scalar === 'Int') return 900_000_000 + Math.floor(Math.random() * 99_999_999);
  if (scalar === 'CreditCode') {
    const body = Array.from({ length: 8 }, () => CREDIT_CODE_CHARSET[Math.floor(Math.random() * CREDIT_CODE_CHARSET.length)]).join('');
    return makeCreditCode({ authority: '9', entityType: '1', regionCode: '360732', orgBody8: body });
  }
  return randomUUID();
}

/** A value of the argument's type meant to break a careless resolver: NUL, quotes, SQL, extremes. */
function hostileValue(type: GraphQLInputType, variant: 0 | 1, depth = 0): unknown {
  if (isNonNullType(type)) return hostileValue(type.ofType, variant, depth);
  if (isListType(type)) return depth > 3 ? [] : [hostileValue(type.ofType, variant, depth + 1)];
  if (isEnumType(type)) return type.getValues()[variant === 0 ? 0 : type.getValues().length - 1].name;
  if (isInputObjectType(type)) {
    if (depth > 3) return {};
    return Object.fromEntries(Object.values(type.getFields()).map((f) => [f.name, hostileValue(f.type, variant, depth + 1)]));
  }
  switch (getNamedType(type).name) {
    case 'Int':
      return variant === 0 ? -1 : 2_147_483_647;
    case 'Float':
      return variant === 0 ? -1 : 1e308;
    case 'Boolean':
      return variant === 0;
    default:
      return variant === 0 ? "\u0000' OR '1'='1' --\u202E" : `%_\\${'长'.repeat(10_000)}`;
  }
}

/** A value of the wrong JSON type for the argument: refused by the server's variable coercion. */
function wrongTypeValue(type: GraphQLInputType): unknown {
  const named = getNamedType(type);
  if (isInputObjectType(named)) return 'not an object';
  if (isEnumType(named)) return 'NO_SUCH_VALUE_CONFORMANCE';
  if (named.name === 'Int' || named.name === 'Float') return 'not a number';
  if (named.name === 'Boolean') return 'not a boolean';
  return { not: ['a', 'string'] };
}

function problemsOfErrors(answer: Answer): string | undefined {
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  const errors = answer.body?.errors;
  if (!Array.isArray(errors)) return undefined;
  const bad = errors.filter((e: any) => typeof e?.extensions?.code !== 'string' || e.extensions.code === 'INTERNAL_SERVER_ERROR');
  if (bad.length) return `${bad.length} error(s) without a stable code: ${short(bad.map((e: any) => ({ message: e?.message, code: e?.extensions?.code ?? null })), 240)}`;
  return undefined;
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const identity = options.identity ?? DEFAULT_IDENTITY;
  const schemaDir = options.schemaDir ?? path.join(projectRoot(), 'schema');
  const results: CheckResult[] = [];
  const answers: { what: string; answer: Answer }[] = [];
  const record = (group: CheckResult['group'], status: CheckStatus, message: string) => {
    const result = { group, status, message };
    results.push(result);
    options.onResult?.(result);
  };

  let config: ReturnType<typeof readSupergraphConfig> | undefined;
  try {
    config = readSupergraphConfig(schemaDir);
  } catch (error) {
    record('compose', 'fail', `cannot read our graph: ${(error as Error).message}`);
  }
  const name = options.name ?? Object.entries(config?.subgraphs ?? {}).find(([, entry]) => entry.routing_url === options.url)?.[0];
  if (!name) {
    record('sdl', 'fail', `no subgraph of schema/supergraph.yaml is routed to ${options.url}: pass --name <its name in the graph> (the aud of its identity headers)`);
    return { name: '', ok: false, results };
  }

  const signer = await createIdentitySigner(options.privateKey, { cacheMax: 0 });
  const signed = () => signer.sign(identity, name);

  async function post(what: string, body: unknown, header: string | undefined): Promise<Answer> {
    let response: Response;
    try {
      response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(header === undefined ? {} : { [IDENTITY_HEADER]: header }) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const answer = { status: 0, body: undefined, text: `${(error as Error).name}: ${(error as Error).message}` };
      answers.push({ what, answer });
      return answer;
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const answer = { status: response.status, body: parsed, text };
    answers.push({ what, answer });
    return answer;
  }

  // --- ready -------------------------------------------------------------------------------
  const readyUrl = new URL('ready', options.url).toString();
  try {
    const response = await fetch(readyUrl, { signal: AbortSignal.timeout(Math.min(timeoutMs, 2_000)) });
    await response.arrayBuffer();
    record('ready', response.status === 200 ? 'pass' : 'fail', `GET ${readyUrl} → ${response.status}${response.status === 200 ? '' : ' (expected 200 when it can serve; the gateway is not ready until it is)'}`);
  } catch (error) {
    record('ready', 'fail', `GET ${readyUrl} → no answer within 2 s (${(error as Error).message})`);
  }

  // --- sdl, compose, committed ------------------------------------------------------------
  const service = await post('_service', { query: SERVICE_QUERY }, await signed());
  const sdl: unknown = service.body?.data?._service?.sdl;
  let document: DocumentNode | undefined;
  if (service.status !== 200 || typeof sdl !== 'string') {
    record('sdl', 'fail', `_service { sdl } signed for aud=${name} → ${service.status || service.text} ${short(service.body?.errors ?? service.text)} (expected 200 with the SDL)`);
  } else {
    try {
      document = parse(sdl);
      if (FEDERATION_2_LINK.test(sdl)) record('sdl', 'pass', `_service { sdl } signed for aud=${name} → Federation 2 SDL (${sdl.length} characters)`);
      else record('sdl', 'fail', '_service { sdl } is not Federation 2: no @link(url: "https://specs.apollo.dev/federation/v2.x") (extend schema @link(…, import: ["@key"]))');
    } catch (error) {
      record('sdl', 'fail', `_service { sdl } does not parse: ${(error as Error).message}`);
    }
  }
  if (document && config) {
    let ours: ResolvedSubgraph[] = [];
    try {
      ours = resolveSubgraphs(schemaDir, config, []);
    } catch (error) {
      record('compose', 'fail', `cannot read our subgraphs' SDL: ${(error as Error).message}`);
    }
    const others = ours.filter((s) => s.name !== name);
    const committed = ours.find((s) => s.name === name);
    let served: string | undefined;
    if (ours.length) {
      try {
        served = composeSupergraph([...others, { name, routingUrl: options.url, sdl: sdl as string }]).supergraphSdl;
        record('compose', 'pass', `composes with the ${others.length} other subgraphs of schema/supergraph.yaml (@apollo/composition)`);
      } catch (error) {
        record('compose', 'fail', `does not compose with our subgraphs: ${(error as Error).message}`);
      }
    }
    if (!committed) {
      record('committed', 'skip', `${name} is not in schema/supergraph.yaml yet: commit its SDL as schema/subgraphs/${name}.graphql and add the entry (docs/department-contract.md)`);
    } else if (served) {
      try {
        const expected = composeSupergraph([...others, { ...committed, routingUrl: options.url }]).supergraphSdl;
        if (expected === served) record('committed', 'pass', `serves the schema committed as schema/${committed.file}`);
        else record('committed', 'fail', `serves a schema other than schema/${committed.file} (the gateway plans with the committed one):\n${shortDiff('supergraph', expected, served)}`);
      } catch (error) {
        record('committed', 'fail', `schema/${committed.file} does not compose: ${(error as Error).message}`);
      }
    }
  }

  // --- entities ----------------------------------------------------------------------------
  const entities = document ? entityTypesOf(document) : [];
  const entity = options.entity
    ? entities.find((e) => e.type === options.entity)
    : (entities.find((e) => e.type === 'Application') ?? entities[0]);
  const keyField = entity?.keyFields.length === 1 ? entity.keyFields[0] : undefined;
  const keyType = keyField ? (entity!.keyTypes[keyField] ?? 'ID') : 'ID';
  const entitiesQuery = entity
    ? `query Conformance($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on ${entity.type} { ${entity.keyFields.join(' ')} } } }`
    : 'query Conformance($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }';
  const representation = (key: unknown) => ({ __typename: entity!.type, [keyField!]: key });
  const knownValue = (value: string) => (keyType === 'Int' && /^-?\d+$/.test(value) ? Number(value) : value);

  if (!document) {
    record('entities', 'skip', 'no SDL to find the entities in');
  } else if (options.entity && !entity) {
    record('entities', 'fail', `--entity ${options.entity}: the SDL has no resolvable @key type of that name (it has: ${entities.map((e) => e.type).join(', ') || 'none'})`);
  } else if (!entity) {
    record('entities', 'skip', 'the SDL has no resolvable @key type: nothing to batch');
  } else if (!keyField) {
    record('entities', 'skip', `${entity.type} @key(fields: "${entity.keyFields.join(' ')}") has more than one field: not checked (the conformance test batches single-field keys)`);
  } else {
    const known = (options.known ?? []).map(knownValue);
    // Known keys in the order given, interleaved with unknown ones, then the known ones backwards:
    // an answer sorted by key, deduplicated or missing its nulls shows up as out of order.
    const keys: { key: unknown; known: boolean }[] = [];
    const unknownCount = Math.max(3, known.length + 1);
    for (let i = 0; i < unknownCount; i++) {
      keys.push({ key: unknownKey(keyType), known: false });
      if (i < known.length) keys.push({ key: known[i], known: true });
    }
    for (const key of [...known].reverse()) keys.push({ key, known: true });
    const answer = await post('_entities', { query: entitiesQuery, variables: { representations: keys.map(({ key }) => representation(key)) } }, await signed());
    const list = answer.body?.data?._entities;
    const described = `_entities: ${keys.length} representations of ${entity.type} (${keys.filter((k) => k.known).length} known, ${keys.filter((k) => !k.known).length} unknown) in one request`;
    if (answer.status !== 200 || !Array.isArray(list) || answer.body?.errors) {
      record('entities', 'fail', `${described} → ${answer.status} ${short(answer.body?.errors ?? answer.text, 300)}`);
    } else if (list.length !== keys.length) {
      record('entities', 'fail', `${described} → ${list.length} answers (expected one per representation, in order)`);
    } else {
      const wrong = keys
        .map(({ key, known: isKnown }, i) => ({ i, key, isKnown, got: list[i] }))
        .filter(({ key, isKnown, got }) => (isKnown ? got?.[keyField] !== key || got?.__typename !== entity.type : got !== null));
      if (wrong.length) {
        record(
          'entities',
          'fail',
          `${described} → wrong answers at ${wrong
            .slice(0, 4)
            .map(({ i, key, isKnown, got }) => `#${i} (${isKnown ? 'known' : 'unknown'} ${short(key, 40)}): ${short(got, 80)}`)
            .join('; ')} (expected each known key's entity in its place, null for an unknown key)`,
        );
      } else {
        record('entities', 'pass', `${described} → ${keys.length} answers in order, the unknown ones null`);
      }
      if (!known.length) {
        record('entities', 'skip', `no --known ${keyField} given: the order of real ${entity.type} records was not checked (pass ids the subgraph has, visible to ${identity.role ?? 'the public'})`);
      }
    }
    const many = Array.from({ length: 50 }, () => representation(unknownKey(keyType)));
    const batch = await post('_entities ×50', { query: entitiesQuery, variables: { representations: many } }, await signed());
    const nulls = batch.body?.data?._entities;
    if (batch.status === 200 && Array.isArray(nulls) && nulls.length === 50 && nulls.every((e: unknown) => e === null) && !batch.body?.errors) {
      record('entities', 'pass', `_entities: 50 unknown ${entity.type} representations in one request → 50 nulls`);
    } else {
      record('entities', 'fail', `_entities: 50 unknown ${entity.type} representations in one request → ${batch.status} ${short(batch.body?.errors ?? nulls ?? batch.text, 240)} (expected 50 nulls)`);
    }
  }

  // --- identity ----------------------------------------------------------------------------
  const privateKey = await importPKCS8(options.privateKey, IDENTITY_ALGORITHM);
  const otherKey = await importPKCS8(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), IDENTITY_ALGORITHM);
  const now = Math.floor(Date.now() / 1000);
  const claims = { role: identity.role, sub: identity.subject ?? 'conformance', region: identity.region, department: identity.department, creditCode: identity.creditCode };
  // `exp: null`: a header without one (a default parameter would fill in undefined).
  const jwt = (key = privateKey, { iss = GATEWAY_ISSUER, aud = name, iat = now, exp = now + 60 as number | null } = {}) => {
    const token = new SignJWT(claims).setProtectedHeader({ alg: IDENTITY_ALGORITHM, typ: 'JWT' }).setIssuer(iss).setAudience(aud).setIssuedAt(iat);
    return (exp === null ? token : token.setExpirationTime(exp)).sign(key);
  };
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const sibling = name === 'enterprises' ? 'tax' : 'enterprises';
  const refusals: [string, string | undefined][] = [
    ['no x-qinqing-identity header', undefined],
    ['an unsigned header (alg none)', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: GATEWAY_ISSUER, aud: name, iat: now, exp: now + 60 })}.`],
    ['a header signed with another key', await jwt(otherKey)],
    ['an expired header (exp 5 minutes ago)', await jwt(privateKey, { iat: now - 360, exp: now - 300 })],
    ['a header without exp', await jwt(privateKey, { exp: null })],
    [`a header minted for another subgraph (aud ${sibling})`, await jwt(privateKey, { aud: sibling })],
    ['a header from another issuer', await jwt(privateKey, { iss: 'someone-else' })],
  ];
  const probes: [string, { query: string; variables?: Record<string, unknown> }][] = [
    ['{ __typename }', { query: '{ __typename }' }],
    ['_service', { query: SERVICE_QUERY }],
    ['_entities', { query: entitiesQuery, variables: { representations: entity && keyField ? [representation(options.known?.[0] ?? unknownKey(keyType))] : [] } }],
  ];
  for (const [label, header] of refusals) {
    const outcomes: string[] = [];
    let refused = true;
    for (const [probe, body] of probes) {
      const answer = await post(`${label}: ${probe}`, body, header);
      const ok = answer.status === 401 && codesOf(answer)[0] === 'UNAUTHENTICATED' && answer.body?.data == null;
      if (!ok) {
        refused = false;
        outcomes.push(`${probe} → ${answer.status || answer.text} ${short(codesOf(answer).length ? codesOf(answer) : (answer.body?.data ?? answer.text), 80)}`);
      }
    }
    if (refused) record('identity', 'pass', `${label} → 401 UNAUTHENTICATED for { __typename }, _service and _entities`);
    else record('identity', 'fail', `${label} → ${outcomes.join('; ')} (expected 401 with errors[0].extensions.code UNAUTHENTICATED and no data)`);
  }

  // --- errors ------------------------------------------------------------------------------
  if (entity && keyField) {
    const malformed: [string, Record<string, unknown>][] = [
      [`{ __typename: "${entity.type}" } without its key`, { __typename: entity.type }],
      [`${keyField} as an object`, representation({ $ne: null })],
      [`${keyField} as a list`, representation([unknownKey(keyType)])],
    ];
    for (const [label, rep] of malformed) {
      const answer = await post(`malformed: ${label}`, { query: entitiesQuery, variables: { representations: [rep] } }, await signed());
      const problem = problemsOfErrors(answer);
      const coded = codesOf(answer);
      if (problem) record('errors', 'fail', `_entities with ${label} → ${problem}`);
      else if (!coded.length) record('errors', 'fail', `_entities with ${label} → ${answer.status} without an error: ${short(answer.body?.data, 80)} (expected a coded error, e.g. BAD_USER_INPUT)`);
      else record('errors', 'pass', `_entities with ${label} → ${answer.status} ${coded.join(', ')}`);
    }
  }
  const unparsable = await post('unparsable', { query: '{ _service { ' }, await signed());
  const parseProblem = problemsOfErrors(unparsable) ?? (codesOf(unparsable).length ? undefined : `${unparsable.status} without an error`);
  record('errors', parseProblem ? 'fail' : 'pass', `a document that does not parse → ${parseProblem ?? `${unparsable.status} ${codesOf(unparsable).join(', ')}`}`);

  if (document) {
    let schema: GraphQLSchema | undefined;
    try {
      schema = buildSubgraphSchema({ typeDefs: document });
    } catch (error) {
      record('errors', 'fail', `the SDL does not build as a subgraph schema: ${(error as Error).message}`);
    }
    const fields = Object.values(schema?.getQueryType()?.getFields() ?? {}).filter((f) => f.args.length > 0 && !f.name.startsWith('_'));
    if (schema && !fields.length) {
      record('errors', 'skip', 'no Query field takes arguments: no bad argument to try (mutations are never called)');
    }
    const failures: string[] = [];
    let calls = 0;
    for (const field of fields) {
      const declared = field.args.map((a) => `$${a.name}: ${a.type}`).join(', ');
      const passed = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `query Conformance(${declared}) { ${field.name}(${passed})${isLeafType(getNamedType(field.type)) ? '' : ' { __typename }'} }`;
      const attempts: [string, Record<string, unknown>][] = [
        ['hostile values', Object.fromEntries(field.args.map((a) => [a.name, hostileValue(a.type, 0)]))],
        ['extreme values', Object.fromEntries(field.args.map((a) => [a.name, hostileValue(a.type, 1)]))],
        ['a wrongly typed value', Object.fromEntries(field.args.map((a, i) => [a.name, i === 0 ? wrongTypeValue(a.type) : hostileValue(a.type, 0)]))],
      ];
      for (const [label, variables] of attempts) {
        calls++;
        const answer = await post(`${field.name}: ${label}`, { query, variables }, await signed());
        const problem = problemsOfErrors(answer) ?? (answer.status === 0 ? `no answer (${answer.text})` : undefined);
        if (problem) failures.push(`${field.name} with ${label} → ${problem}`);
      }
    }
    if (fields.length) {
      if (failures.length) record('errors', 'fail', `bad arguments: ${failures.length} of ${calls} calls answered without a stable code: ${failures.slice(0, 4).join('; ')}`);
      else record('errors', 'pass', `bad arguments: hostile, extreme and wrongly typed values at ${fields.length} Query field(s) (${calls} calls) → data or coded errors`);
    }
  }

  // --- leaks -------------------------------------------------------------------------------
  const leaks = answers.filter(({ answer }) => {
    const errors: any[] = Array.isArray(answer.body?.errors) ? answer.body.errors : [];
    return (
      errors.some((e) => e?.extensions?.stacktrace || e?.extensions?.exception) ||
      errors.some((e) => typeof e?.message === 'string' && (STACK_LINE.test(e.message) || SQL_TEXT.test(e.message))) ||
      (answer.body === undefined && (STACK_LINE.test(answer.text) || SQL_TEXT.test(answer.text)))
    );
  });
  if (leaks.length) record('leaks', 'fail', `${leaks.length} answer(s) carry a stack trace or SQL: ${leaks.slice(0, 3).map(({ what, answer }) => `${what}: ${short(answer.body?.errors ?? answer.text, 160)}`).join('; ')}`);
  else record('leaks', 'pass', `no stack trace and no SQL in any of the ${answers.length} answers`);

  return { name, ok: results.every((r) => r.status !== 'fail'), results };
}

// ---------------------------------------------------------------------------------------------
// The CLI
// ---------------------------------------------------------------------------------------------

const USAGE = `Usage: npm run conformance -- <url> [--name <subgraph name>] [--key <gateway private key PEM file>]
         [--known <key>[,<key>…]] [--entity <Type>] [--identity '<json claims>'] [--schema-dir <dir>]
  <url>         the subgraph's GraphQL endpoint, e.g. http://127.0.0.1:4020/graphql
  --name        its name in the graph, the aud of its identity headers (default: the supergraph.yaml entry routed to <url>)
  --key         the gateway's Ed25519 private key it trusts (default: DATA_DIR/dev-keys/${DEV_GATEWAY_KEY_FILE}, the dev key of npm start)
  --known       key values of records it has (checked in order among unknown ones); repeatable
  --entity      the @key type to batch (default: Application, else the first)
  --identity    claims of the signed calls (default {"role":"AUDITOR"}), e.g. '{"role":"DEPARTMENT_SYSTEM","department":"360732-HRSS","region":"360732"}'
  --schema-dir  our graph's schema directory (default: this repository's schema/)`;

export function parseArguments(argv: string[], env: NodeJS.ProcessEnv = process.env): { options: Omit<ConformanceOptions, 'privateKey'> & { keyFile: string }; } | { error: string } {
  const values: Record<string, string[]> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { error: USAGE };
    const match = /^--(name|key|known|entity|identity|schema-dir)(?:=(.*))?$/.exec(arg);
    if (match) {
      const value = match[2] ?? argv[++i];
      if (value === undefined) return { error: `${arg} needs a value\n\n${USAGE}` };
      (values[match[1]] ??= []).push(value);
    } else if (arg.startsWith('--')) {
      return { error: `unknown option ${arg}\n\n${USAGE}` };
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) return { error: `give exactly one subgraph URL\n\n${USAGE}` };
  let url: URL;
  try {
    url = new URL(positional[0]);
    if (!/^https?:$/.test(url.protocol)) throw new Error('not http');
  } catch {
    return { error: `not an http(s) URL: ${positional[0]}\n\n${USAGE}` };
  }
  for (const single of ['name', 'key', 'entity', 'identity', 'schema-dir']) {
    if ((values[single]?.length ?? 0) > 1) return { error: `--${single} given twice` };
  }
  let identity: Identity | undefined;
  if (values.identity) {
    try {
      const claims = JSON.parse(values.identity[0]);
      if (!claims || typeof claims !== 'object' || (claims.role !== null && !Roles.includes(claims.role))) throw new Error(`role must be one of ${Roles.join(', ')} or null`);
      identity = { role: claims.role, subject: claims.sub ?? 'conformance', region: claims.region, department: claims.department, creditCode: claims.creditCode };
    } catch (error) {
      return { error: `--identity: ${(error as Error).message}` };
    }
  }
  return {
    options: {
      url: url.toString(),
      name: values.name?.[0],
      keyFile: values.key?.[0] ?? devKeyPath(env.DATA_DIR ?? 'data', DEV_GATEWAY_KEY_FILE),
      known: values.known?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean),
      entity: values.entity?.[0],
      identity,
      schemaDir: values['schema-dir']?.[0],
    },
  };
}

const LABEL: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };

export async function main(argv: string[], write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  const parsed = parseArguments(argv);
  if ('error' in parsed) {
    write(parsed.error);
    return 2;
  }
  const { keyFile, ...options } = parsed.options;
  let privateKey: string;
  try {
    privateKey = fs.readFileSync(keyFile, 'utf8');
    await importPKCS8(privateKey, IDENTITY_ALGORITHM);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    write(`--key ${keyFile}: ${code === 'ENOENT' ? 'no such file (npm start generates the dev key on first start; or pass the gateway key the subgraph trusts)' : `not an Ed25519 private key in PKCS#8 PEM (${(error as Error).message})`}`);
    return 2;
  }
  write(`conformance of ${options.name ?? '(name from schema/supergraph.yaml)'} at ${options.url}: identity headers signed with ${keyFile}`);
  const report = await runConformance({
    ...options,
    privateKey,
    onResult: (r) => write(`${LABEL[r.status]}  ${r.group.padEnd(9)}  ${r.message}`),
  });
  const count = (status: CheckStatus) => report.results.filter((r) => r.status === status).length;
  write('');
  write(`${report.ok ? 'conforms' : 'DOES NOT CONFORM'}: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped (docs/department-contract.md)`);
  return report.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exitCode = 1;
    },
  );
}
