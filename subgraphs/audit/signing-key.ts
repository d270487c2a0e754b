import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { devAuditPrivateKey, DEV_KEYS_DIR, readDevKey, DEV_AUDIT_KEY_FILE } from '../../platform/dev-keys';
import { StartupError } from '../../platform/config';

/**
 * The platform audit key (Ed25519) checkpoints are signed with. Production: AUDIT_SIGNING_KEY
 * (a PEM, or the path of one), never a generated dev key. Development: a key generated under
 * `<DATA_DIR>/dev-keys/`. Tests: a key made in memory for the process (tests write no keys).
 */
export interface AuditSigner {
  keyId: string;
  sign(message: string): string;
  verify(message: string, signature: string): boolean;
}

const spki = (key: KeyObject) => createPublicKey(key).export({ type: 'spki', format: 'der' });

export function createAuditSigner(privateKeyPem: string): AuditSigner {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new StartupError('AUDIT_SIGNING_KEY', `must be an Ed25519 private key, got ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: createHash('sha256').update(spki(privateKey)).digest('hex').slice(0, 16),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
    verify: (message, signature) => {
      try {
        return verify(null, Buffer.from(message, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
      } catch {
        return false;
      }
    },
  };
}

/** Reads the key as the environment says; every problem names AUDIT_SIGNING_KEY. */
export function loadAuditSigner(env: NodeJS.ProcessEnv = process.env): AuditSigner {
  const value = env.AUDIT_SIGNING_KEY;
  const dataDir = env.DATA_DIR ?? 'data';
  const production = env.NODE_ENV === 'production';
  if (!value) {
    if (production) throw new StartupError('AUDIT_SIGNING_KEY', 'required in production: the Ed25519 key audit checkpoints are signed with (a PEM or the path of one; `openssl genpkey -algorithm ed25519`)');
    if (env.NODE_ENV === 'test') return createAuditSigner(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    return createAuditSigner(devAuditPrivateKey(dataDir));
  }
  const isPath = !value.trimStart().startsWith('-----BEGIN');
  let pem = value.replace(/\\n/g, '\n');
  if (isPath) {
    try {
      pem = readFileSync(value, 'utf8');
    } catch (error) {
      throw new StartupError('AUDIT_SIGNING_KEY', `cannot read the key file "${value}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  let signer: AuditSigner;
  try {
    signer = createAuditSigner(pem);
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError('AUDIT_SIGNING_KEY', `not a PEM private key${isPath ? ` (file "${value}")` : ''}`);
  }
  if (production) {
    if (isPath && value.split(/[\\/]/).includes(DEV_KEYS_DIR)) {
      throw new StartupError('AUDIT_SIGNING_KEY', `"${value}" is a generated dev key (under ${DEV_KEYS_DIR}/); production needs a key of its own`);
    }
    const dev = readDevKey(dataDir, DEV_AUDIT_KEY_FILE);
    if (dev && createAuditSigner(dev).keyId === signer.keyId) {
      throw new StartupError('AUDIT_SIGNING_KEY', 'is the generated dev audit key; production needs a key of its own');
    }
  }
  return signer;
}

let current: AuditSigner | undefined;
/** The process's signer, loaded once (at the audit subgraph's start, so a bad key fails the start). */
export function auditSigner(): AuditSigner {
  return (current ??= loadAuditSigner());
}

/** Entries between automatic checkpoints (AUDIT_CHECKPOINT_EVERY, default 100). */
export function checkpointEvery(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.AUDIT_CHECKPOINT_EVERY ?? 100);
  return Number.isInteger(n) && n > 0 ? n : 100;
}

/** The longest an appended entry waits for a signature when events keep coming (AUDIT_CHECKPOINT_MAX_AGE seconds, default 300). */
export function checkpointMaxAgeMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.AUDIT_CHECKPOINT_MAX_AGE ?? 300);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 300) * 1000;
}

/** How often the chain head is signed when it has moved (AUDIT_CHECKPOINT_INTERVAL seconds, default 60). */
export function checkpointIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.AUDIT_CHECKPOINT_INTERVAL ?? 60);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000;
}
