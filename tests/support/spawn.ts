import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export interface MainProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout (waits for it to be written). */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null if killed by a signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The real entrypoint (`node main.ts [piece]`, compiled on the fly by tests/support/swc-register.js)
 * as a child process, for signals, exit codes and start-up failures. The environment is given
 * whole, so nothing from the developer's shell leaks in.
 */
export function spawnMain(args: string[], env: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, ['-r', join(root, 'tests', 'support', 'swc-register.js'), join(root, 'main.ts'), ...args], {
    cwd: root,
    // A data directory of its own: dev keys and SQLite files never land in the checkout.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', DATA_DIR: mkdtempSync(join(tmpdir(), 'qinqing-main-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) {
      const match = out.match(w.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(match);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput: (pattern) =>
      new Promise((resolve, reject) => {
        const match = out.match(pattern);
        if (match) return resolve(match);
        waiters.push({ pattern, resolve });
        // A process that dies first will never print it: fail with what it said instead of hanging.
        void exited.then(({ code }) => reject(new Error(`main.ts exited (${code}) before printing ${pattern}\nstdout: ${out}\nstderr: ${err}`)));
      }),
  };
}

/** Kills a child still running at the end of a test (a failed assertion must not leave it behind). */
export function killIfRunning(main: MainProcess | undefined): void {
  if (main && main.child.exitCode === null && main.child.signalCode === null) main.child.kill('SIGKILL');
}
