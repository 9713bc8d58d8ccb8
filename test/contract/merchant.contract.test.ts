/**
 * Contract of the merchant area (endpoints.tsv group common-merchant: get-projects): the project list of a
 * merchant, its paging, wrong credentials and invalid paging, validated against the official spec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { basic, createTenant, testApp, type Tenant } from '../helpers/app.js';
import { ContractRecorder } from './contract.js';
import { SKIP_NOTE, specAvailable } from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

describe.skipIf(!specAvailable)('contract: merchant', () => {
  let app: FastifyInstance;
  let t: Tenant;
  let second: number;
  const rec = new ContractRecorder();
  const projects = (query = '', headers = t.merchant) =>
    app.inject({ method: 'GET', url: `/api/v2/merchant/${t.merchantId}/projects${query}`, headers });

  beforeAll(async () => {
    app = await testApp();
    t = await createTenant(app);
    second = await app.services.tenancy.createProject(t.merchantId, `second-${t.projectId}`);
  });
  afterAll(async () => app?.close());

  it('lists the merchant projects (200), whole and paged', async () => {
    const all = await projects();
    expect(all.statusCode, all.body).toBe(200);
    const body = rec.check('get-projects', all) as {
      total_items_count: number;
      has_more: boolean;
      items: { project_id: number }[];
    };
    expect(body).toEqual({ total_items_count: 2, has_more: false, items: expect.any(Array) });
    expect(body.items.map((p) => p.project_id).sort((a, b) => a - b)).toEqual(
      [t.projectId, second].sort((a, b) => a - b),
    );

    const page = await projects('?limit=1&offset=0');
    expect(page.statusCode).toBe(200);
    expect(rec.check('get-projects', page)).toMatchObject({ total_items_count: 2, has_more: true });
    const last = await projects('?limit=1&offset=1');
    expect(rec.check('get-projects', last)).toMatchObject({ total_items_count: 2, has_more: false });
  });

  it('wrong credentials (401): a wrong key, and a project key used as a merchant key', async () => {
    const wrong = await projects('', { authorization: basic(t.merchantId, 'wrong-key') });
    expect(wrong.statusCode).toBe(401);
    rec.check('get-projects', wrong);
    const projectKey = await projects('', { authorization: basic(t.merchantId, t.apiKey) });
    expect(projectKey.statusCode).toBe(401);
    rec.check('get-projects', projectKey);
  });

  it('invalid limit or offset (422)', async () => {
    for (const query of ['?limit=0', '?offset=-1', '?limit=abc']) {
      const res = await projects(query);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(422);
      rec.check('get-projects', res);
    }
  });

  it('validated every operation of its group against the spec', () => {
    rec.expectCovered(['common-merchant']);
  });
});
