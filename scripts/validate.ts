import { PAGE_RUN_HANDLERS } from '../functions/handlers/functionMachine.ts';
import { repositoryRoot } from '../functions/host/repositoryRoot.ts';
import { validateApp } from './app/validateApp.ts';

const findings = validateApp(repositoryRoot(), PAGE_RUN_HANDLERS);
for (const f of findings) console.log(`${f.level}: ${f.file}: ${f.path}: ${f.message}`);
const errors = findings.filter((f) => f.level === 'error').length;
console.log(errors === 0 ? `manifest.yml, ${PAGE_RUN_HANDLERS.length} handlers and the workflows are valid (${findings.length} warning(s))` : `${errors} error(s)`);
process.exitCode = errors === 0 ? 0 : 1;
