import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { AppError, ErrorCode, errorLogPlugin, formatError } from '../../platform/errors';

/** What a user sees of a failure, and what the logs keep of it. */
describe('errors', () => {
  const schema = buildSchema('type Query { boom: String, refused: String }');
  const logged: Record<string, unknown>[] = [];
  const server = new ApolloServer<{ requestId: string }>({
    schema,
    formatError,
    plugins: [errorLogPlugin({ error: (msg, fields) => logged.push({ msg, ...fields }) })],
  });
  const fields = schema.getQueryType()!.getFields();
  fields.boom.resolve = () => {
    throw new Error('connection to db-7 reset');
  };
  fields.refused.resolve = () => {
    throw new AppError(ErrorCode.FORBIDDEN, '无权访问');
  };
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  const run = async (query: string) => {
    const response = await server.executeOperation({ query }, { contextValue: { requestId: 'req-9' } });
    return response.body.kind === 'single' ? response.body.singleResult : undefined;
  };

  test('an unexpected failure shows a generic Chinese message, is logged with its cause and the request id', async () => {
    const before = logged.length;
    const result = await run('{ boom }');
    expect(result?.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(result?.errors?.[0].message).toBe('服务内部错误，请稍后重试；如持续出现请联系平台运维并提供请求编号');
    expect(JSON.stringify(result)).not.toContain('db-7');
    const entry = logged.slice(before)[0];
    expect(entry).toMatchObject({ msg: 'unexpected error', requestId: 'req-9' });
    expect((entry.error as Error).message).toBe('connection to db-7 reset');
  });

  test('an expected refusal keeps its code and message and is not logged as a failure', async () => {
    const before = logged.length;
    const result = await run('{ refused }');
    expect(result?.errors?.[0]).toMatchObject({ message: '无权访问', extensions: { code: 'FORBIDDEN' } });
    expect(logged.length).toBe(before);
  });
});
