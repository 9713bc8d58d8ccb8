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
  /** A fresh unpaid order of `userId` (a Sword) and its payment token: the banner links its pay station. */
  demoOrder?: { order_id: number; token: string };
}

/** Creates an unpaid demo order for a user (OrdersService.createDemoOrder); `{order_id, token}`. */
export type DemoOrderFactory = (userId: string) => Promise<{ order_id: number; token: string }>;

/**
 * Issues the demo credentials: replaces the `demo` key of `projectId` and mints a user JWT for `demo-user`; with
 * `createOrder`, also an unpaid demo order whose pay station the banner links (left out when it cannot be made).
 * @throws Error when the project does not exist.
 */
export async function issueDemoCredentials(
  tenancy: TenancyService,
  projectId: number,
  createOrder?: DemoOrderFactory,
): Promise<DemoCredentials> {
  const project = await tenancy.getProject(projectId);
  if (!project) throw new Error(`Demo project ${projectId} not found`);
  const apiKey = await tenancy.replaceApiKey(project.merchant_id, projectId, DEMO_KEY_NAME);
  const userToken = await tenancy.mintUserToken(project, DEMO_USER_ID, {
    email: `${DEMO_USER_ID}@example.com`,
  });
  // A demo order is a convenience: an edited demo catalog (no Sword) must not stop the server.
  const demoOrder = createOrder ? await createOrder(DEMO_USER_ID).catch(() => undefined) : undefined;
  return { projectId, merchantId: project.merchant_id, apiKey, userId: DEMO_USER_ID, userToken, demoOrder };
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
