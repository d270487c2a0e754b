import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Child processes of the bench: every server it measures runs in a process of its own, so each
 * one's CPU and memory can be read from /proc and none shares an event loop with the load.
 */

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  /** The last few KiB of its stdout and stderr, for a start-up failure's message. */
  output(): string;
  /** Resolves with the exit code (or signal) once it has exited. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

const OUTPUT_KEPT = 8 * 1024;

/** Starts `node <args>` with exactly `env` (plus PATH/HOME), its output kept and never inherited. */
export function startNode(name: string, args: string[], env: Record<string, string>, cwd?: string): Child {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Always drained: a child whose pipe fills up would block on its next write.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  return {
    name,
    process: child,
    pid: child.pid,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // Our pieces drain within SHUTDOWN_TIMEOUT_MS; anything still alive after 15 s is cut.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A port free right now on 127.0.0.1 (the OS picks; it is released for the child to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `probe` until it is true: a readiness probe, as a load balancer would make. Fails at once
 * when the child exits, and after `timeoutMs` (seeding 100,000 enterprises takes minutes).
 */
export async function waitReady(child: Child, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  let exitedWith: string | undefined;
  void child.exited.then((how) => (exitedWith = how));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitedWith) throw new Error(`${child.name} exited during start-up (${exitedWith}):\n${child.output()}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${child.name} not ready after ${timeoutMs / 1000}s:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const CLOCK_TICKS = 100;
const PAGE_BYTES = 4096;

export interface ProcessSample {
  /** User + system CPU time consumed so far, milliseconds. */
  cpuMs: number;
  /** Resident set size now, bytes. */
  rssBytes: number;
}

/** CPU time and RSS of a process from /proc/<pid>/stat (Linux); undefined elsewhere. */
export function sampleProcess(pid: number): ProcessSample | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is parenthesised and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime 15, rss (pages) 24.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssPages = Number(fields[21]);
  return { cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS, rssBytes: rssPages * PAGE_BYTES };
}
