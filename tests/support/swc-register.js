// `node -r ./tests/support/swc-register.js main.ts …`: runs the real entrypoint from source in a
// child process (tests of signals, exit codes and start-up failures), compiled per file by
// @swc/core with the project's .swcrc, as jest does. No build step, no dist/.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const { $schema: _schema, ...swcrc } = JSON.parse(readFileSync(join(__dirname, '..', '..', '.swcrc'), 'utf8'));

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcrc, filename, swcrc: false, configFile: false });
  module._compile(code, filename);
};
