/**
 * What `itemshop serve --demo` prints: an admin API key of the demo project, a user JWT, and curl lines to try
 * them (issue 15 item 5, ADR 0052).
 *
 * Keys are stored hashed (DESIGN §6), so a key can only be shown again if its plaintext is kept somewhere. For the
 * demo project only, and only on an embedded (PGlite) data directory, the plaintext key and the JWT are kept in
 * `<DATA_DIR>/.itemshop-demo-credentials.json` (mode 0600): every start of the same data directory prints the
 * same key and JWT, so scripts and the docs page keep working across restarts; a fresh data directory gets new
 * ones. The key is checked against the database at each start and replaced when it no longer opens the project;
 * the JWT is re-minted when it expires within a day. Without such a file (PostgreSQL, `memory://`) every start
 * replaces the project's key named `demo` (older `demo` keys are revoked; other keys are untouched).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import type { TenancyService } from '../modules/tenancy/service.js';

/** Name of the file of a PGlite data directory that keeps the demo credentials in plain text. */
export const DEMO_CREDENTIALS_FILE = '.itemshop-demo-credentials.json';

/** A kept JWT is re-minted when it expires within this many seconds. */
const TOKEN_MIN_REMAINING_SECONDS = 24 * 3600;

/** Where the demo credentials are kept for `config`: in the PGlite data directory; none for PostgreSQL or memory. */
export function demoCredentialsFile(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string | undefined {
  if (config.databaseUrl || config.dataDir.startsWith('memory://')) return undefined;
  return join(resolve(config.dataDir), DEMO_CREDENTIALS_FILE);
}

interface KeptCredentials {
  project_id: number;
  api_key: string;
  user_jwt: string;
}

function readKept(file: string, projectId: number): KeptCredentials | undefined {
  try {
    if (!existsSync(file)) return undefined;
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeptCredentials>;
    if (
      kept.project_id !== projectId ||
      typeof kept.api_key !== 'string' ||
      typeof kept.user_jwt !== 'string'
    )
      return undefined;
    return kept as KeptCredentials;
  } catch {
    return undefined; // unreadable or not JSON: replaced below
  }
}

/** Name of the demo project's API key that is replaced on every start. */
export const DEMO_KEY_NAME = 'demo';
/** `sub` of the printed user JWT. */
export const DEMO_USER_ID = 'demo-user';

export interface DemoCredentials {
  projectId: number;
  merchantId: number;
  /** Plaintext project API key (`project_id:key` in HTTP Basic). */
  apiKey: string;
  userId: string;
  /** HS256 user JWT of the project for `userId`, valid 30 days. */
  userToken: string;
  /** A fresh unpaid order of `userId` (a Sword) and its payment token: the banner links its pay station. */
  demoOrder?: { order_id: number; token: string };
  /** The file keeping the key and JWT across restarts (PGlite data directory), when there is one. */
  keptIn?: string;
}

/** Creates an unpaid demo order for a user (OrdersService.createDemoOrder); `{order_id, token}`. */
export type DemoOrderFactory = (userId: string) => Promise<{ order_id: number; token: string }>;

/**
 * Issues the demo credentials: the `demo` key of `projectId` and a user JWT for `demo-user` — the ones kept in
 * `keepIn` when they are still valid, else new ones (a new key revokes older `demo` keys), written back to `keepIn`
 * (mode 0600). Without `keepIn`, always new ones. With `createOrder`, also an unpaid demo order whose pay station
 * the banner links (left out when it cannot be made).
 * @throws Error when the project does not exist, or `keepIn` cannot be written.
 */
export async function issueDemoCredentials(
  tenancy: TenancyService,
  projectId: number,
  createOrder?: DemoOrderFactory,
  keepIn?: string,
): Promise<DemoCredentials> {
  const project = await tenancy.getProject(projectId);
  if (!project) throw new Error(`Demo project ${projectId} not found`);
  const kept = keepIn ? readKept(keepIn, projectId) : undefined;
  const keyValid = kept ? await tenancy.verifyProjectKey(projectId, kept.api_key) : false;
  const tokenValid = kept
    ? await tenancy.verifyUserToken(project, kept.user_jwt).then(
        (u) =>
          u.userId === DEMO_USER_ID && (u.claims.exp ?? 0) > Date.now() / 1000 + TOKEN_MIN_REMAINING_SECONDS,
        () => false,
      )
    : false;
  const apiKey =
    kept && keyValid
      ? kept.api_key
      : await tenancy.replaceApiKey(project.merchant_id, projectId, DEMO_KEY_NAME);
  const userToken =
    kept && tokenValid
      ? kept.user_jwt
      : await tenancy.mintUserToken(project, DEMO_USER_ID, { email: `${DEMO_USER_ID}@example.com` });
  if (keepIn && (apiKey !== kept?.api_key || userToken !== kept?.user_jwt)) {
    const body: KeptCredentials = { project_id: projectId, api_key: apiKey, user_jwt: userToken };
    writeFileSync(keepIn, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    chmodSync(keepIn, 0o600);
  }
  // A demo order is a convenience: an edited demo catalog (no Sword) must not stop the server.
  const demoOrder = createOrder ? await createOrder(DEMO_USER_ID).catch(() => undefined) : undefined;
  return {
    projectId,
    merchantId: project.merchant_id,
    apiKey,
    userId: DEMO_USER_ID,
    userToken,
    demoOrder,
    ...(keepIn ? { keptIn: keepIn } : {}),
  };
}

/**
 * The readable block printed after the server listens at `baseUrl` (no trailing slash); `note` says whether the
 * demo was just created.
 */
export function formatDemoBanner(c: DemoCredentials, baseUrl: string, note = ''): string {
  const api = `${baseUrl}/api/v2/project/${c.projectId}`;
  return [
    '',
    `Demo store: project ${c.projectId} (merchant ${c.merchantId})${note ? ` — ${note}` : ''}`,
    c.keptIn
      ? `  Admin API key (the same on every start; kept in plain text in ${c.keptIn}): ${c.apiKey}`
      : `  Admin API key (new on every start, older 'demo' keys revoked): ${c.apiKey}`,
    `  User JWT for '${c.userId}' (valid 30 days${c.keptIn ? ', kept in the same file' : ''}):`,
    `    ${c.userToken}`,
    '',
    'Try:',
    `  curl ${api}/items/virtual_items`,
    `  curl -u ${c.projectId}:${c.apiKey} ${api}/admin/items/virtual_items`,
    `  curl -H 'Authorization: Bearer ${c.userToken}' ${api}/items/virtual_currency/package`,
    ...(c.demoOrder
      ? [
          `  Sandbox pay station of demo order ${c.demoOrder.order_id} (a Sword for '${c.userId}'):`,
          `    ${baseUrl}/paystation4/?token=${c.demoOrder.token}`,
          `  curl -H 'Authorization: Bearer ${c.userToken}' ${api}/order/${c.demoOrder.order_id}`,
        ]
      : []),
    `  API docs: ${baseUrl}/docs`,
    '',
  ].join('\n');
}
