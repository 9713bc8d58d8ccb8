/**
 * What `itemshop serve --demo` prints: a fresh admin API key of the demo project, a user JWT, and curl lines to
 * try them. Keys are stored hashed and shown once (DESIGN §6), so every start replaces the project's key named
 * `demo` with a new one (older `demo` keys are revoked; other keys are untouched).
 */
import type { TenancyService } from '../modules/tenancy/service.js';

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
}

/**
 * Issues the demo credentials: replaces the `demo` key of `projectId` and mints a user JWT for `demo-user`.
 * @throws Error when the project does not exist.
 */
export async function issueDemoCredentials(
  tenancy: TenancyService,
  projectId: number,
): Promise<DemoCredentials> {
  const project = await tenancy.getProject(projectId);
  if (!project) throw new Error(`Demo project ${projectId} not found`);
  const apiKey = await tenancy.replaceApiKey(project.merchant_id, projectId, DEMO_KEY_NAME);
  const userToken = await tenancy.mintUserToken(project, DEMO_USER_ID, {
    email: `${DEMO_USER_ID}@example.com`,
  });
  return { projectId, merchantId: project.merchant_id, apiKey, userId: DEMO_USER_ID, userToken };
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
    `  Admin API key (new on every start, older 'demo' keys revoked): ${c.apiKey}`,
    `  User JWT for '${c.userId}' (valid 30 days):`,
    `    ${c.userToken}`,
    '',
    'Try:',
    `  curl ${api}/items/virtual_items`,
    `  curl -u ${c.projectId}:${c.apiKey} ${api}/admin/items/virtual_items`,
    `  curl -H 'Authorization: Bearer ${c.userToken}' ${api}/items/virtual_currency/package`,
    `  API docs: ${baseUrl}/docs`,
    '',
  ].join('\n');
}
