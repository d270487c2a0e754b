import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Keys that exist only so `npm start` and `npm run token` work out of the box: generated on first
 * use under `<DATA_DIR>/dev-keys/` (data/ is never committed), so no signing key is ever published.
 * Production refuses every one of them (platform/config.ts).
 */
export const DEV_KEYS_DIR = 'dev-keys';
export const DEV_GATEWAY_KEY_FILE = 'gateway-ed25519.pem';
export const DEV_JWT_SECRET_FILE = 'jwt-secret';
/** The audit subgraph's checkpoint signing key (subgraphs/audit/signing-key.ts). */
export const DEV_AUDIT_KEY_FILE = 'audit-ed25519.pem';

export const devKeyPath = (dataDir: string, file: string) => join(dataDir, DEV_KEYS_DIR, file);

/** The file's content, or undefined when it does not exist. */
export function readDevKey(dataDir: string, file: string): string | undefined {
  try {
    return readFileSync(devKeyPath(dataDir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Reads the dev key, creating it first if needed. Published atomically (written aside, then
 * hard-linked into place) so `npm start` and `npm run token` started together agree on one key.
 */
function readOrCreate(dataDir: string, file: string, create: () => string): string {
  const existing = readDevKey(dataDir, file);
  if (existing !== undefined) return existing;
  const path = devKeyPath(dataDir, file);
  mkdirSync(join(dataDir, DEV_KEYS_DIR), { recursive: true, mode: 0o700 });
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(aside, create(), { mode: 0o600 });
  try {
    linkSync(aside, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
  return readFileSync(path, 'utf8');
}

/** The gateway's dev Ed25519 private key (PKCS#8 PEM). */
export const devGatewayPrivateKey = (dataDir: string): string =>
  readOrCreate(dataDir, DEV_GATEWAY_KEY_FILE, () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

/** The audit checkpoints' dev Ed25519 private key (PKCS#8 PEM). */
export const devAuditPrivateKey = (dataDir: string): string =>
  readOrCreate(dataDir, DEV_AUDIT_KEY_FILE, () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

/** The HS256 secret dev user tokens (`npm run token`) are signed with. */
export const devJwtSecret = (dataDir: string): string =>
  readOrCreate(dataDir, DEV_JWT_SECRET_FILE, () => randomBytes(32).toString('base64url')).trim();

/** SPKI PEM of the public half of a private key PEM. */
export const publicKeyOf = (privateKeyPem: string): string =>
  createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
