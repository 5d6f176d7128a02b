import { FalconSandbox } from './FalconSandbox.ts';
import { parseSandboxArgs } from './parseSandboxArgs.ts';
import { startSandboxServer } from './server.ts';

/** `npm run sandbox -- --port 8787 --profile <name> [--seed N] [--scale F]`: runs until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const parsed = parseSandboxArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`Failed to start the Falcon sandbox: ${parsed.message}`);
    process.exit(2);
  }
  const { port, profile, seed, sizes } = parsed.args;
  const sandbox = new FalconSandbox({ seed, profile, sizes });
  const server = await startSandboxServer({ sandbox, port });
  console.log(`Falcon sandbox (profile ${profile}) listening on ${server.baseUrl}`);
  console.log(`FALCON_CLIENT_ID=${sandbox.credentials.clientId} FALCON_CLIENT_SECRET=${sandbox.credentials.clientSecret}`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Failed to start the Falcon sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
