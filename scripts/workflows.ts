/**
 * `npm run workflows` writes docs/workflows.md from the workflow table of the applications
 * subgraph (subgraphs/applications/workflow/): the Mermaid diagrams and the transition tables.
 * `--check` writes nothing and exits 1 when the committed file is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { workflowsDocument } from '../subgraphs/applications/workflow/diagram';
import { projectRoot } from './project-root';

const file = path.join(projectRoot(), 'docs', 'workflows.md');
const text = workflowsDocument();
if (process.argv.includes('--check')) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== text) {
    console.error('docs/workflows.md is not what the workflow table says: run npm run workflows');
    process.exit(1);
  }
  console.log('docs/workflows.md is current');
} else {
  fs.writeFileSync(file, text);
  console.log('wrote docs/workflows.md');
}
