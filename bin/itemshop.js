#!/usr/bin/env node
// The `itemshop` command: runs the compiled CLI (dist/cli.js). Build it with `npm run build`, or run the
// TypeScript sources directly with `npx tsx src/cli.ts <command>`.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(cli)) {
  const { runCli } = await import(cli.href);
  await runCli(process.argv);
} else {
  process.stderr.write(
    'itemshop: dist/cli.js not found — build it with `npm run build`, ' +
      'or run from the sources with `npx tsx src/cli.ts <command>`.\n',
  );
  process.exit(1);
}
