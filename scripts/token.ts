import { decodeJwt } from 'jose';
import { checkTokenTimes, signDevToken } from '../gateway/auth';
import { loadConfig } from '../platform/config';
import { parseCreditCode } from '../platform/credit-code';
import { identityFromClaims, Roles } from '../platform/identity';

/**
 * `npm run token -- --role ROLE [--credit-code X] [--department CODE] [--region CODE] [--expires 8h]`
 * prints a dev token signed with the configured secret (JWT_SECRET, else the dev secret generated
 * under DATA_DIR/dev-keys/ that `npm start` uses too), for the IDE's Authorization header. The
 * token is checked as the gateway will check it, so a token it prints is one the gateway accepts.
 */
function main(): Promise<void> | void {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) return usage(`unexpected argument ${argv[i]}`);
    args.set(argv[i].slice(2), argv[i + 1]);
  }
  const role = args.get('role')?.toUpperCase();
  if (!role || !(Roles as readonly string[]).includes(role)) return usage(`--role must be one of ${Roles.join(', ')}`);
  const creditCode = args.get('credit-code');
  if (role === 'ENTERPRISE' && !creditCode) return usage('ENTERPRISE tokens need --credit-code');
  if (role.startsWith('DEPARTMENT_') && !args.get('department')) return usage(`${role} tokens need --department (e.g. 360732-TAX)`);
  const region = args.get('region') ?? (role === 'ENTERPRISE' || role === 'AUDITOR' ? undefined : '360732');
  const claims = { role, creditCode: creditCode ? parseCreditCode(creditCode) : undefined, department: args.get('department'), region };
  identityFromClaims(claims);
  const { jwt } = loadConfig(process.env, 'gateway');
  return signDevToken(jwt, claims, args.get('expires') ?? '8h').then((token) => {
    checkTokenTimes(decodeJwt(token), jwt.maxLifetimeSeconds);
    process.stdout.write(`${token}\n`);
    process.stderr.write(`IDE Headers: {"Authorization": "Bearer ${token}"}\n`);
  });
}

function usage(problem: string): void {
  process.stderr.write(`${problem}\nusage: npm run token -- --role ROLE [--credit-code CODE] [--department 360732-TAX] [--region 360732] [--expires 8h]\n`);
  process.exitCode = 2;
}

Promise.resolve()
  .then(main)
  .catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
