import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devAuditPrivateKey, devKeyPath, DEV_AUDIT_KEY_FILE } from '../../platform/dev-keys';
import { loadAuditSigner } from '../../subgraphs/audit/signing-key';

const ed25519 = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('the audit signing key (AUDIT_SIGNING_KEY)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qinqing-audit-key-'));

  test('production requires one, and refuses the generated dev key by path and by value', () => {
    expect(() => loadAuditSigner({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(/^AUDIT_SIGNING_KEY: required in production/);
    const dev = devAuditPrivateKey(dataDir);
    expect(() => loadAuditSigner({ NODE_ENV: 'production', DATA_DIR: dataDir, AUDIT_SIGNING_KEY: devKeyPath(dataDir, DEV_AUDIT_KEY_FILE) })).toThrow(/generated dev key/);
    expect(() => loadAuditSigner({ NODE_ENV: 'production', DATA_DIR: dataDir, AUDIT_SIGNING_KEY: dev.replace(/\n/g, '\\n') })).toThrow(/dev audit key/);
    const own = join(dataDir, 'own.pem');
    writeFileSync(own, ed25519());
    const signer = loadAuditSigner({ NODE_ENV: 'production', DATA_DIR: dataDir, AUDIT_SIGNING_KEY: own });
    expect(signer.verify('m', signer.sign('m'))).toBe(true);
    expect(signer.verify('n', signer.sign('m'))).toBe(false);
  });

  test('a key that is not Ed25519, or not a key, names the setting', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadAuditSigner({ NODE_ENV: 'development', DATA_DIR: dataDir, AUDIT_SIGNING_KEY: rsa })).toThrow(/^AUDIT_SIGNING_KEY: must be an Ed25519/);
    expect(() => loadAuditSigner({ NODE_ENV: 'development', DATA_DIR: dataDir, AUDIT_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\nxx' })).toThrow(/^AUDIT_SIGNING_KEY: not a PEM/);
    expect(() => loadAuditSigner({ NODE_ENV: 'development', DATA_DIR: dataDir, AUDIT_SIGNING_KEY: join(dataDir, 'missing.pem') })).toThrow(/cannot read the key file/);
  });

  test('development uses one generated key under DATA_DIR/dev-keys/', () => {
    const a = loadAuditSigner({ NODE_ENV: 'development', DATA_DIR: dataDir });
    const b = loadAuditSigner({ NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(a.keyId).toBe(b.keyId);
  });
});
