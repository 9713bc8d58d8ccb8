import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  endpointsPath,
  openapiPath,
  operationsPath,
  readEndpoints,
  renderOpenApi,
  renderOperationsMd,
} from '../../scripts/docs.js';
import { testApp } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

describe('generated documents are committed up to date (run `npm run docs` to refresh)', () => {
  it('docs/openapi.json equals the OpenAPI document the server serves', async () => {
    const served = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(served.statusCode).toBe(200);
    expect(JSON.parse(readFileSync(openapiPath, 'utf8'))).toEqual(served.json());
    expect(readFileSync(openapiPath, 'utf8')).toBe(await renderOpenApi(app));
  });

  it.skipIf(!existsSync(endpointsPath))('docs/operations.md matches the operations table', () => {
    expect(readFileSync(operationsPath, 'utf8')).toBe(renderOperationsMd(readEndpoints()));
  });

  it('every Xsolla operation of the OpenAPI document has its endpoints.tsv or official-spec operationId', () => {
    type Op = { operationId?: string; 'x-itemshop-extension'?: boolean };
    const doc = JSON.parse(readFileSync(openapiPath, 'utf8')) as {
      paths: Record<string, Record<string, Op>>;
    };
    const ids = Object.values(doc.paths)
      .flatMap((ops) => Object.values(ops))
      .filter((o) => !o['x-itemshop-extension'])
      .map((o) => o.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    if (existsSync(endpointsPath)) {
      const slugs = new Set(readEndpoints().map((e) => e.slug));
      // operations of the official spec beyond the 128 (e.g. get-webhook) keep the spec's operationId
      const specFile = resolve(dirname(endpointsPath), 'xsolla-shop-builder-api-openapi-2025-07.json');
      if (existsSync(specFile)) {
        const spec = JSON.parse(readFileSync(specFile, 'utf8')) as {
          paths: Record<string, Record<string, { operationId?: string }>>;
        };
        for (const ops of Object.values(spec.paths))
          for (const o of Object.values(ops)) if (o.operationId) slugs.add(o.operationId);
      }
      expect(ids.filter((id) => !slugs.has(id!))).toEqual([]);
    }
  });
});
