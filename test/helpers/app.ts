/**
 * Test fixtures: the real app (buildApp) on the worker's shared database, and a fresh tenant per test — a
 * merchant, a project, a project API key, a merchant-wide key and a way to mint user JWTs.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { testDatabase } from './db.js';

/**
 * Builds the app on the shared test database. Close it in afterAll (the database stays open). Load shedding on
 * event-loop lag is off (a busy test machine lags; test/integration/server-limits.test.ts turns it on).
 */
export async function testApp(
  overrides: Partial<Config> = {},
  deps: Omit<AppDeps, 'database'> = {},
): Promise<FastifyInstance> {
  const config = loadConfig(
    {},
    { dataDir: 'memory://', logLevel: 'silent', pressureMaxLoopDelayMs: 0, ...overrides },
  );
  return buildApp(config, { ...deps, database: await testDatabase() });
}

export const basic = (id: number | string, key: string) =>
  `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}`;

export interface Tenant {
  merchantId: number;
  projectId: number;
  /** Key of this project (`project_id:key`). */
  apiKey: string;
  /** Merchant-wide key (`merchant_id:key`). */
  merchantKey: string;
  /** `Authorization` header for admin calls of this project. */
  admin: { authorization: string };
  /** `Authorization` header for merchant calls. */
  merchant: { authorization: string };
  /** A user JWT of this project for `userId`. */
  userToken(userId?: string): Promise<string>;
  /** `app.inject` with the admin header, JSON body and `/api/v2/project/<id>` prefix for relative paths. */
  adminCall(
    method: InjectOptions['method'],
    path: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
}

/** A fresh merchant + project + keys (random names; tests never share a project). */
export async function createTenant(app: FastifyInstance): Promise<Tenant> {
  const { tenancy } = app.services;
  const tag = randomBytes(4).toString('hex');
  const merchantId = await tenancy.createMerchant(`test-merchant-${tag}`);
  const projectId = await tenancy.createProject(merchantId, `test-project-${tag}`);
  const apiKey = await tenancy.createApiKey(merchantId, projectId, 'test');
  const merchantKey = await tenancy.createApiKey(merchantId, null, 'test-merchant');
  const admin = { authorization: basic(projectId, apiKey) };
  return {
    merchantId,
    projectId,
    apiKey,
    merchantKey,
    admin,
    merchant: { authorization: basic(merchantId, merchantKey) },
    async userToken(userId = `user-${tag}`) {
      const project = await tenancy.getProject(projectId);
      return tenancy.mintUserToken(project!, userId);
    },
    adminCall(method, path, payload) {
      const url = path.startsWith('/api/') ? path : `/api/v2/project/${projectId}${path}`;
      return app.inject({
        method,
        url,
        headers: admin,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    },
  };
}

/** GET a catalog path of the tenant's project (`/items/...`), optionally with a user token. */
export function catalogGet(app: FastifyInstance, projectId: number, path: string, token?: string) {
  return app.inject({
    method: 'GET',
    url: `/api/v2/project/${projectId}${path}`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}
