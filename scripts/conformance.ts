import { parseArgs } from 'node:util';
import { isStreamName, STREAM_NAMES, type StreamName } from '../functions/falcon/streams.ts';
import { isProfileName, PROFILE_NAMES, type ProfileName } from '../sandbox/profiles.ts';
import { runConformance } from './conformance/runConformance.ts';

/**
 * `npm run conformance -- [--json] [--streams a,b] [--profiles x,y] [--size N] [--seed N]`: every stream
 * under every profile through the Node host and the Python host; exit 0 only when they did the same.
 */
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    streams: { type: 'string', default: STREAM_NAMES.join(',') },
    profiles: { type: 'string', default: PROFILE_NAMES.join(',') },
    size: { type: 'string', default: '6000' },
    seed: { type: 'string', default: '5' },
    'max-invocations': { type: 'string', default: '150' },
  },
});
const streams = values.streams.split(',').map((s) => s.trim());
const profiles = values.profiles.split(',').map((s) => s.trim());
const bad = [...streams.filter((s) => !isStreamName(s)).map((s) => `unknown stream "${s}" (use ${STREAM_NAMES.join(', ')})`), ...profiles.filter((p) => !isProfileName(p)).map((p) => `unknown profile "${p}" (use ${PROFILE_NAMES.join(', ')})`)];
const numbers = { size: Number(values.size), seed: Number(values.seed), maxInvocations: Number(values['max-invocations']) };
for (const [name, n] of Object.entries(numbers)) if (!Number.isInteger(n) || n < 0) bad.push(`--${name} must be a whole number, got ${String(n)}`);
if (bad.length > 0) {
  console.error(`conformance: ${bad.join('; ')}`);
  process.exit(2);
}

const report = await runConformance({
  streams: streams as StreamName[],
  profiles: profiles as ProfileName[],
  ...numbers,
  onScenario: (o) => {
    const line = `${o.identical ? 'same' : 'DIFF'} ${o.stream.padEnd(17)} ${o.profile.padEnd(18)} ${String(o.invocations).padStart(3)} runs ${String(o.apiCalls).padStart(4)} calls  ${o.lastVerdict.padEnd(24)} node ${o.nodeWallMs} ms, python ${o.pythonWallMs} ms`;
    (values.json ? process.stderr : process.stdout).write(line + '\n');
  },
});
if (values.json) {
  process.stdout.write(JSON.stringify({ identical: report.identical, scenarios: report.scenarios, differences: report.differences, outcomes: report.outcomes }) + '\n');
} else {
  console.log(`\n${report.identical ? 'identical' : 'NOT identical'}: ${report.scenarios} scenarios, ${report.differences.length} difference(s)`);
  for (const d of report.differences.slice(0, 20)) console.log(`  ${d.stream} ${d.profile} ${d.what}: node ${JSON.stringify(d.node)?.slice(0, 200)} / python ${JSON.stringify(d.python)?.slice(0, 200)}`);
}
process.exitCode = report.identical ? 0 : 1;
