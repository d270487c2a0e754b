// Lets a child `node` process load the TypeScript sources as jest does (same .swcrc), so tests can
// spawn real entrypoints (`node -r ./tests/support/register-ts.js main.ts gateway`) without a build.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const { $schema, ...swcrc } = JSON.parse(readFileSync(join(__dirname, '..', '..', '.swcrc'), 'utf8'));

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcrc, filename, swcrc: false });
  module._compile(code, filename);
};
