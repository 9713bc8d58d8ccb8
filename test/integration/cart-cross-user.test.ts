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

/**
 * Guest carts belong to the pair (x-unauthorized-id, email) (ADR 0048): a client that sends the same
 * x-unauthorized-id with another email is another guest — every `{cart_id}` route of the guest's carts answers
 * it 404, its current cart is its own, and the owner's carts stay as they were.
 */
describe("a guest's carts belong to its x-unauthorized-id AND email", () => {
  const guestId = 'shared-secret-guest-id';
  const guestOwner = guestOf(guestId, 'owner@example.com');
  const sameIdOtherEmail = guestOf(guestId, 'intruder@example.com');
  const guestCustomId = 'guest-own-cart';
  let guestCurrentId: string;

  const guestContent = async () => {
    const current = await cartCall(app, t, guestOwner, 'GET', '/cart');
    const custom = await cartCall(app, t, guestOwner, 'GET', `/cart/${guestCustomId}`);
    expect(current.json().cart_id).toBe(guestCurrentId);
    return { current: contentOf(current.json()), custom: contentOf(custom.json()) };
  };

  beforeAll(async () => {
    const filled = await cartCall(app, t, guestOwner, 'PUT', '/cart/fill', {
      items: [{ sku: 'quest_steam', quantity: 2 }],
    });
    expect(filled.statusCode, filled.body).toBe(200);
    guestCurrentId = filled.json().cart_id;
    const custom = await cartCall(app, t, guestOwner, 'PUT', `/cart/${guestCustomId}/fill`, {
      items: [{ sku: 'quest_steam', quantity: 1 }],
    });
    expect(custom.statusCode, custom.body).toBe(200);
  });

  it("the same id with another email has its own current cart, not the owner's", async () => {
    const res = await cartCall(app, t, sameIdOtherEmail, 'GET', '/cart');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().cart_id).not.toBe(guestCurrentId);
    expect(contentOf(res.json())).toEqual({});
    // its writes to "the current cart" land in its own cart
    const put = await cartCall(app, t, sameIdOtherEmail, 'PUT', '/cart/item/quest_steam', { quantity: 3 });
    expect(put.statusCode, put.body).toBe(204);
    expect(await guestContent()).toEqual({ current: { quest_steam: 2 }, custom: { quest_steam: 1 } });
  });

  describe.each(
    CART_ROUTES.filter((op) => op.auth === 'cart').map(
      (op) => [`${op.method} ${op.path} (${op.docSlug})`, op] as const,
    ),
  )('%s', (_name, op) => {
    it("answers 404 to the same x-unauthorized-id with another email and changes nothing of the guest's carts", async () => {
      const before = await guestContent();
      for (const cartId of [guestCurrentId, guestCustomId]) {
        const body = bodyOf(op);
        const res = await app.inject({
          method: op.method as InjectOptions['method'],
          url: urlOf(op, cartId).replace('/item/potion', '/item/quest_steam'),
          headers: sameIdOtherEmail,
          ...(body === undefined ? {} : { payload: body }),
        });
        expect(res.statusCode, `${cartId}: ${res.body}`).toBe(404);
        expect(res.json()).toMatchObject({ statusCode: 404 });
        expect(res.json().errorMessage).toMatch(/^\[0401-\d+\]: /);
      }
      expect(await guestContent()).toEqual(before);
      // the owner itself still reaches the cart by id
      const own = await cartCall(app, t, guestOwner, 'GET', `/cart/${guestCustomId}`);
      expect(own.statusCode).toBe(200);
    });
  });
});
