import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dbTypesCommand, dbTypesPath, renderDbTypes } from '../../scripts/db-types.js';

describe(`src/db/types.ts is generated from the migrations (run \`${dbTypesCommand}\` to refresh)`, () => {
  it('the committed file equals what the migrated schema generates', async () => {
    const committed = readFileSync(dbTypesPath, 'utf8');
    const generated = await renderDbTypes();
    expect(committed, `src/db/types.ts is out of date: run \`${dbTypesCommand}\``).toBe(generated);
  }, 60_000);
});
