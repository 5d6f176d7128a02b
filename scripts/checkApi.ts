import { parseArgs } from 'node:util';
import { FINDING_TITLES, type CatalogFindingKind } from './checkApi/CatalogFinding.ts';
import { catalogRoutes } from './checkApi/catalogRoutes.ts';
import { compareCatalog } from './checkApi/compareCatalog.ts';
import { dumpFalconPy, FALCONPY_VERSION } from './checkApi/dumpFalconPy.ts';
import { parseFalconPyDump } from './checkApi/FalconPyDump.ts';

/**
 * `npm run check:api -- [--json]`: the stream catalog, IOC enrichment, the LogScale sink and custom
 * storage against FalconPy's endpoint definitions (pinned release, installed into a throwaway venv).
 * Exit 0 when nothing is an error, 1 when something is, 2 when the check itself could not run.
 */
const USAGE = 'usage: npm run check:api -- [--json]';

let json: boolean;
try {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, strict: true, allowPositionals: false });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  json = values.json;
} catch (error) {
  console.error(`check:api: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}

const dumped = dumpFalconPy(FALCONPY_VERSION, (line) => console.error(`check:api: ${line}`));
if (!dumped.ok) {
  console.error(`check:api: ${dumped.message}`);
  process.exit(2);
}
const parsed = parseFalconPyDump(dumped.raw);
if (!parsed.ok) {
  console.error(`check:api: ${parsed.message}`);
  process.exit(2);
}
if (parsed.dump.falconpyVersion !== FALCONPY_VERSION) {
  console.error(`check:api: pip installed FalconPy ${parsed.dump.falconpyVersion}, not the pinned ${FALCONPY_VERSION}; check for a pip constraint file (PIP_CONSTRAINT) overriding the pin.`);
  process.exit(2);
}

const { findings, checked } = compareCatalog(parsed.dump.endpoints, await catalogRoutes());
const errors = findings.filter((f) => f.severity === 'error').length;

if (json) {
  process.stdout.write(JSON.stringify({ falconpyVersion: parsed.dump.falconpyVersion, findings, checked }, null, 2) + '\n');
} else {
  console.log(`FalconPy ${parsed.dump.falconpyVersion}: ${checked.definitions} operations; checked ${checked.routes} routes, ${checked.params} parameters, ${checked.limits} limits, ${checked.sorts} sort values`);
  for (const kind of Object.keys(FINDING_TITLES) as CatalogFindingKind[]) {
    const group = findings.filter((f) => f.kind === kind);
    if (group.length === 0) continue;
    console.log(`\n${FINDING_TITLES[kind]} (${group.length})`);
    for (const f of group) console.log(`  ${f.severity.padEnd(7)} ${f.route}  [${f.usedBy}]\n          ${f.detail}`);
  }
  if (checked.unchecked.length > 0) {
    console.log(`\nNot checkable from FalconPy's tables (${checked.unchecked.length})`);
    for (const u of checked.unchecked) console.log(`  ${u.check.padEnd(5)} ${u.route}  [${u.usedBy}]: ${u.reason}`);
  }
  console.log(`\n${errors} error(s), ${findings.length - errors} warning(s)`);
}
process.exitCode = errors === 0 ? 0 : 1;
