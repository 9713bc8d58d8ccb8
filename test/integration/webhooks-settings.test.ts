/**
 * get-webhook / update-webhook (official spec, common-webhooks): URL, secret, enabled flag and format version of a
 * project's order webhooks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp({ webhookWorker: false });
});
afterAll(async () => app.close());

const settings = { url: 'https://game.example.com/xsolla/webhook', secret: 'my_secret', is_enabled: true };

describe('webhook settings', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
  });

  it('answers 404 before any webhook was set', async () => {
    const res = await t.adminCall('GET', '/admin/webhook');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, errorCode: 1102 });
  });

  it('sets them (204), reads them back with version 1 by default, and replaces them', async () => {
    const put = await t.adminCall('PUT', '/admin/webhook', settings);
    expect(put.statusCode, put.body).toBe(204);
    expect(put.body).toBe('');
    const got = await t.adminCall('GET', '/admin/webhook');
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual({ ...settings, version: 1 });

    const next = { url: 'http://127.0.0.1:9/hook', secret: 'rotated', is_enabled: false, version: 2 };
    expect((await t.adminCall('PUT', '/admin/webhook', next)).statusCode).toBe(204);
    expect((await t.adminCall('GET', '/admin/webhook')).json()).toEqual(next);
  });

  it('keeps the settings of each project apart', async () => {
    const other = await createTenant(app);
    expect((await other.adminCall('GET', '/admin/webhook')).statusCode).toBe(404);
    await other.adminCall('PUT', '/admin/webhook', { ...settings, secret: 'other' });
    expect((await t.adminCall('GET', '/admin/webhook')).json().secret).toBe('rotated');
    expect((await other.adminCall('GET', '/admin/webhook')).json().secret).toBe('other');
  });

  it.each([
    ['an empty URL', { ...settings, url: '' }, 'url'],
    ['a blank URL', { ...settings, url: '   ' }, 'url'],
    ['a relative URL', { ...settings, url: '/webhook' }, 'url'],
    ['a non-http URL', { ...settings, url: 'ftp://example.com/hook' }, 'url'],
    ['no secret', { url: settings.url, is_enabled: true }, 'secret'],
    ['an empty secret', { ...settings, secret: '' }, 'secret'],
    ['no is_enabled', { url: settings.url, secret: 's' }, 'is_enabled'],
    ['is_enabled as a string', { ...settings, is_enabled: 'yes' }, 'is_enabled'],
    ['version 3', { ...settings, version: 3 }, 'version'],
  ])('rejects %s with 422/1102 and keeps the stored settings', async (_what, body, property) => {
    const before = (await t.adminCall('GET', '/admin/webhook')).json();
    const res = await t.adminCall('PUT', '/admin/webhook', body);
    expect(res.statusCode, res.body).toBe(422);
    const err = res.json();
    expect(err).toMatchObject({ statusCode: 422, errorCode: 1102 });
    expect(JSON.stringify(err.errorMessageExtended ?? err.errorMessage)).toContain(property);
    expect((await t.adminCall('GET', '/admin/webhook')).json()).toEqual(before);
  });

  it('honours Idempotency-Key: a replay answers 204 again, another body with the same key is 422', async () => {
    const headers = { ...t.admin, 'idempotency-key': `webhook-${t.projectId}` };
    const url = `/api/v2/project/${t.projectId}/admin/webhook`;
    const body = { ...settings, secret: 'idem' };
    const first = await app.inject({ method: 'PUT', url, headers, payload: body });
    expect(first.statusCode).toBe(204);
    const replay = await app.inject({ method: 'PUT', url, headers, payload: body });
    expect(replay.statusCode).toBe(204);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const other = await app.inject({ method: 'PUT', url, headers, payload: { ...body, secret: 'changed' } });
    expect(other.statusCode).toBe(422);
    expect((await t.adminCall('GET', '/admin/webhook')).json().secret).toBe('idem');
  });
});
