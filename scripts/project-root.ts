import * as fs from 'node:fs';
import * as path from 'node:path';

/** This repository's root, found by package.json: scripts run both from scripts/ (source) and dist/scripts/ (compiled). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
