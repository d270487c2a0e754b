import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../platform/config';

/**
 * The real entrypoint, in-process: `main.ts` started with NODE_ENV=production and the keys a
 * developer's `npm start` generated refuses to start, says which settings in plain lines, no stack.
 */
describe('npm start in production with dev keys', () => {
  const saved = { env: process.env, argv: process.argv };
  afterEach(() => {
    process.env = saved.env;
    process.argv = saved.argv;
    jest.restoreAllMocks();
  });

  async function start(piece: string | undefined, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
    process.env = { ...env };
    process.argv = [saved.argv[0], 'main.js', ...(piece ? [piece] : [])];
    const stderr: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const code = await new Promise<number>((resolve) => {
      jest.spyOn(process, 'exit').mockImplementation(((c?: number) => resolve(c ?? 0)) as never);
      jest.isolateModules(() => require('../../main'));
    });
    return { code, stderr: stderr.join('') };
  }

  test('the gateway: the dev key file and the dev secret, each named', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qinqing-main-'));
    const dev = loadConfig({ DATA_DIR: dataDir });
    const keyFile = join(dataDir, 'dev-keys', 'gateway-ed25519.pem');
    const { code, stderr } = await start('gateway', {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      GATEWAY_PRIVATE_KEY: keyFile,
      JWT_SECRET: dev.jwt.secret!,
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'Invalid configuration (2 problems):\n' +
        `  - GATEWAY_PRIVATE_KEY: "${keyFile}" is a generated dev key (under dev-keys/); production needs a key of its own\n` +
        `  - JWT_SECRET: is the generated dev secret ${join(dataDir, 'dev-keys', 'jwt-secret')}\n`,
    );
  });

  test("a subgraph: the dev key's public half", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qinqing-main-'));
    const dev = loadConfig({ DATA_DIR: dataDir });
    const { code, stderr } = await start('tax', {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://app@127.0.0.1/qinqing',
      GATEWAY_PUBLIC_KEY: dev.gatewayIdentity.publicKey!,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Invalid configuration \(1 problem\):\n {2}- GATEWAY_PUBLIC_KEY: is the generated dev key .*gateway-ed25519\.pem; production needs a key of its own\n$/);
    // With a key of its own the configuration passes (the start then fails later, on the database).
    const own = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, DATABASE_URL: 'postgres://app@127.0.0.1/qinqing', GATEWAY_PUBLIC_KEY: own }, 'subgraph')).not.toThrow();
  });
});
