/**
 * The cross-user matrix of carts (DESIGN §6: every `{cart_id}` route answers 404 to anyone but the owner),
 * generated from the operations table: every operation with `{cart_id}` in its path — the cart calls and the
 * order calls that take a cart — is called on user A's carts (the current one and one with the client's own
 * id) by another user, by a guest, and server-side on behalf of another user. Each answers 404 and A's carts
 * stay exactly as they were.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyOperation } from '../../src/http/operation.js';
import { operations } from '../../src/http/operations.js';
import { testApp, type Tenant } from '../helpers/app.js';
import { cartCall, cartCatalog, contentOf, guestOf, userOf, type Caller } from './cart-helpers.js';

let app: FastifyInstance;
let t: Tenant;
let owner: Caller;
let currentId: string;
const customId = 'owners-own-cart';

const CART_ROUTES = operations.filter((op) => op.path.includes('{cart_id}'));

beforeAll(async () => {
  app = await testApp();
  t = await cartCatalog(app);
  owner = await userOf(t, 'owner-a');
  const filled = await cartCall(app, t, owner, 'PUT', '/cart/fill', {
    items: [
      { sku: 'sword', quantity: 2 },
      { sku: 'quest_steam', quantity: 1 },
    ],
  });
  expect(filled.statusCode, filled.body).toBe(200);
  currentId = filled.json().cart_id;
  const custom = await cartCall(app, t, owner, 'PUT', `/cart/${customId}/fill`, {
    items: [{ sku: 'quest_steam', quantity: 3 }],
  });
  expect(custom.statusCode, custom.body).toBe(200);
});
afterAll(async () => app.close());

/** A body the operation accepts (so that only ownership can make it fail). */
function bodyOf(op: AnyOperation): object | undefined {
  if (op.method === 'GET' || op.method === 'DELETE') return undefined;
  if (op.path.endsWith('/fill')) return { items: [{ sku: 'quest_steam', quantity: 5 }] };
  if (op.path.includes('/item/')) return { quantity: 5 };
  return {};
}

const urlOf = (op: AnyOperation, cartId: string) =>
  `/api${op.path
    .replace('{project_id}', String(t.projectId))
    .replace('{cart_id}', cartId)
    .replace('{item_sku}', 'potion')}`; // an item no cart takes: only the owner check can answer 404

async function ownerContent() {
  const current = await cartCall(app, t, owner, 'GET', '/cart');
  const custom = await cartCall(app, t, owner, 'GET', `/cart/${customId}`);
  expect(current.json().cart_id).toBe(currentId);
  return { current: contentOf(current.json()), custom: contentOf(custom.json()) };
}

describe('cross-user matrix of {cart_id} routes', () => {
  it('covers the cart routes with an id', () => {
    const slugs = CART_ROUTES.map((o) => o.docSlug);
    for (const slug of [
      'get-cart-by-id',
      'cart-clear-by-id',
      'cart-fill-by-id',
      'put-item-by-cart-id',
      'delete-item-by-cart-id',
      'admin-fill-cart-by-id',
    ])
      expect(slugs).toContain(slug);
  });

  describe.each(CART_ROUTES.map((op) => [`${op.method} ${op.path} (${op.docSlug})`, op] as const))(
    '%s',
    (_name, op) => {
      it("answers 404 to everyone but the owner and changes nothing of the owner's carts", async () => {
        const before = await ownerContent();
        const intruders: [string, Record<string, string>][] =
          op.auth === 'basic'
            ? [
                ['another user (x-user-for)', { ...t.admin, 'x-user-for': await t.userToken('intruder-b') }],
                ['another user (x-user-id)', { ...t.admin, 'x-user-id': 'intruder-c' }],
              ]
            : [
                ['another user', await userOf(t, 'intruder-b')],
                ['a guest', guestOf('intruder-guest')],
              ];
        for (const cartId of [currentId, customId]) {
          for (const [who, headers] of intruders) {
            const body = bodyOf(op);
            const res = await app.inject({
              method: op.method as InjectOptions['method'],
              url: urlOf(op, cartId),
              headers,
              ...(body === undefined ? {} : { payload: body }),
            });
            expect(res.statusCode, `${who} on ${cartId}: ${res.body}`).toBe(404);
            const err = res.json();
            expect(err.statusCode).toBe(404);
            expect(Number.isInteger(err.errorCode)).toBe(true);
            expect(err.errorMessage).toMatch(/^\[0401-\d+\]: /);
          }
        }
        expect(await ownerContent()).toEqual(before);
      });
    },
  );
});
