/**
 * The closed catalogue of error codes Itemshop answers with. Codes, statuses and message texts follow the
 * Xsolla Catalog API (spec error examples, spec/NOTES.md "Error envelope"). Add a code here before using it;
 * nothing else in the code base invents error codes.
 */
export const ERROR_CODES = {
  /** 401 — basic credentials missing or wrong (admin and merchant calls). */
  AUTH_METHOD: { code: 1020, status: 401, message: 'Error in Authentication method occurred' },
  /** 401 — user JWT missing, malformed, expired or signed with another key. */
  AUTH_FAILED: { code: 1501, status: 401, message: 'Authorization failed' },
  /** 401 — the token's user is unknown to the project. */
  TOKEN_NOT_FOUND: { code: 1013, status: 401, message: 'Token not found.' },
  /** 422 — request validation. */
  VALIDATION: { code: 1102, status: 422, message: 'Unprocessable Entity' },
  /** 404 — item by sku or id. */
  ITEM_NOT_FOUND: { code: 4001, status: 404, message: 'Item not found' },
  /** 422 — sku taken in the project. */
  SKU_EXISTS: { code: 4002, status: 422, message: 'Item already exists' },
  /** 404 — item group by external id or id. */
  GROUP_NOT_FOUND: { code: 4403, status: 404, message: 'Item group not found' },
  /** 404 — region by id (spec 404-region-not-found). */
  REGION_NOT_FOUND: { code: 9701, status: 404, message: 'Region not found' },
  /** 422 — too many attributes on an item. */
  ATTRIBUTES_LIMIT: {
    code: 9908,
    status: 422,
    message:
      'The number of attributes you specified for the item exceeds the required limit. Try to specify fewer attributes.',
  },
  /** 422 — too many values of one attribute on an item. */
  ATTRIBUTE_VALUES_LIMIT: {
    code: 9909,
    status: 422,
    message:
      'The number of attribute values you specified for the item exceeds the required limit. Try to specify fewer attribute values.',
  },
  /** 404 — attribute by external id. */
  ATTRIBUTE_NOT_FOUND: { code: 9901, status: 404, message: 'Attribute not found.' },
  /** 404 — value of an attribute by external id. */
  ATTRIBUTE_VALUE_NOT_FOUND: { code: 9906, status: 404, message: 'Attribute value not found.' },
  /** 422 — value external id taken in the attribute. */
  ATTRIBUTE_VALUE_EXISTS: { code: 9907, status: 422, message: 'The attribute value already exists.' },
  /** 422 — the attribute already holds the maximum number of values (20). */
  ATTRIBUTE_VALUES_PER_ATTRIBUTE_LIMIT: {
    code: 9908,
    status: 422,
    message: 'You reached the maximum number of values for the attribute.',
  },
  /** 404 — a game code (redemption, grant with a code). */
  GAME_CODE_NOT_FOUND: { code: 4603, status: 404, message: 'Game code not found.' },
  /** 404 — a game by sku (entitlement grant and revoke). */
  GAME_NOT_FOUND: { code: 4604, status: 404, message: 'Game not found.' },
  /** 404 — a code upload session (status 404 with code 1102 as the spec's examples show for a missing resource). */
  CODES_SESSION_NOT_FOUND: { code: 1102, status: 404, message: 'Codes loading session not found' },
  /** 422 — the user already owns the game on this DRM. */
  ENTITLEMENT_EXISTS: { code: 5101, status: 422, message: 'User already has entitlement.' },
  /** 422 — entitlements are only for the DRM-free platform. */
  DRM_NOT_DRMFREE: { code: 5103, status: 422, message: 'Selected drm is not drmfree.' },
  /** 422 — a pre-order key cannot be redeemed before its release (message names the sku). */
  PRE_ORDER_NOT_REDEEMABLE: {
    code: 5106,
    status: 422,
    message: 'Item is in pre-order state and can not be redeemed',
  },
  /** 422 — the code was already redeemed or handed out. */
  GAME_CODE_ACTIVATED: { code: 5107, status: 422, message: 'Game code has been already activated' },
  /** 422 — a cart that cannot become this order (free items on the paid path, paid items on the free path). */
  INVALID_CART: { code: 1401, status: 422, message: 'Invalid cart' },
  /** 422 — an item that cannot be bought this way (disabled, out of its period or region, unpriced, free). */
  INVALID_ITEM: { code: 1411, status: 422, message: 'Invalid item' },
  /** 422 — a free item in a paid purchase (admin-create-payment-token). */
  ITEM_IS_FREE: { code: 1421, status: 422, message: 'Item is free' },
  /** 404 — an order of another user, of another project, or none. */
  ORDER_NOT_FOUND: { code: 9001, status: 404, message: 'Order not found' },
  /** 409 — the order's status does not allow the action (e.g. paying a canceled or expired order). */
  ORDER_STATUS_CONFLICT: { code: 0, status: 409, message: 'The order status does not allow this action' },
  /** 404 — a payment token that does not exist or has expired (pay station). */
  PAYMENT_TOKEN_NOT_FOUND: { code: 9001, status: 404, message: 'Payment token not found or expired' },
  /** 404 — an Event API event that is not the user's, or none (code 1102 as for other missing resources). */
  EVENT_NOT_FOUND: { code: 1102, status: 404, message: 'Event not found' },
  /** 422 — a virtual-currency charge larger than the user's balance (spec example 5006; nothing is charged). */
  NOT_ENOUGH_VIRTUAL_CURRENCY: { code: 5006, status: 422, message: 'Not enough virtual currency' },
  /** 422 — consume-item without `sku`, or with neither `quantity` nor `instance_id` (Inventory API docs). */
  CONSUME_PARAMS_REQUIRED: { code: 5002, status: 422, message: 'Quantity and item_id/sku must be specified' },
  /** 422 — a paid order holds more game-key units than the key's pool has codes left (delivery rolls back). */
  GAME_CODES_EXHAUSTED: { code: 1411, status: 422, message: 'Invalid item. No game codes left' },
  /** 422 — a purchase past a per-user, global or pre-order limit (docs/decisions/0018-purchase-limits-pre-orders.md; nothing changes). */
  ITEM_LIMIT_EXCEEDED: { code: 1411, status: 422, message: 'Invalid item. Item purchase limit exceeded' },
  /** 422 — user-limit admin calls on an item without a per-user limit (spec example 4508). */
  ITEM_WITHOUT_USER_LIMITS: {
    code: 4508,
    status: 422,
    message: 'Item does not have configured user limits.',
  },
  /** 422 — a user limit set outside 0…total (spec example 4510). */
  USER_LIMIT_OUT_OF_RANGE: { code: 4510, status: 422, message: 'Available item limit is out of range.' },
  /** 404 — a cart id that does not exist, belongs to another user, or was already ordered (Xsolla error list: 1401 cart not found). */
  CART_NOT_FOUND: { code: 1401, status: 404, message: 'Cart not found' },
  /** 422 — ordering a cart without items (spec example 1417). */
  EMPTY_CART: { code: 1417, status: 422, message: "Empty cart! Cart shouldn't be empty!" },
  /** 422 — an item that cannot be put to this cart (its type, guest carts, virtual-currency-only items; spec put-item 1421). */
  CART_ITEM_REJECTED: {
    code: 1421,
    status: 422,
    message: 'This type of item cannot be put to the cart. Select another type of item.',
  },
  /** 404 — server-side cart calls whose x-user-for / x-user-id identify no user (spec example 5008). */
  USER_NOT_FOUND: { code: 5008, status: 404, message: 'Could not find User' },
  /** 404 — unknown project on a public or user call (admin calls answer 401 instead). */
  PROJECT_NOT_FOUND: { code: 0, status: 404, message: 'Project not found' },
  /** 409 — a request with the same Idempotency-Key is still being processed (DESIGN §5). */
  IDEMPOTENCY_IN_FLIGHT: {
    code: 0,
    status: 409,
    message: 'A request with this Idempotency-Key is still in progress',
  },
  /** 422 — an Idempotency-Key reused with a different request (DESIGN §5). */
  IDEMPOTENCY_MISMATCH: {
    code: 1102,
    status: 422,
    message: 'Unprocessable Entity. This Idempotency-Key was used with a different request',
  },
  /** 404 — get-webhook before any webhook was set for the project (spec get-webhook 404; no body documented). */
  WEBHOOK_NOT_FOUND: { code: 1102, status: 404, message: 'Webhook settings not found' },
  // Import connector (endpoints.tsv group connector-admin): its own service prefix `0410` (spec
  // connector-422-validation-failed, get-items-import-status example; docs/decisions/0012-catalog-import-export.md).
  /** 422 — the import file is not served as JSON (spec example 1803; the message names the type received). */
  IMPORT_FILE_CONTENT_TYPE: {
    code: 1803,
    status: 422,
    message: "File content-type doesn't allowed. Allowed content types: application/json",
    prefix: '0410',
  },
  /** 422 — the import file cannot be fetched, is too large, is not JSON or holds no item section. */
  IMPORT_FILE_INVALID: { code: 1102, status: 422, message: 'Invalid import file', prefix: '0410' },
  /** 404 — the project has no import yet (status read). */
  IMPORT_NOT_FOUND: { code: 1102, status: 404, message: 'Import not found', prefix: '0410' },
  /** Per-entry import error: an entry without sku (spec get-items-import-status example 1817). */
  IMPORT_SKU_EMPTY: { code: 1817, status: 422, message: "SKU can't be empty", prefix: '0410' },
  /** Per-entry import error: an entry that is not an object of its section's item type. */
  IMPORT_ENTRY_INVALID: { code: 1102, status: 422, message: 'Invalid entry', prefix: '0410' },
  /** General import error: the import was interrupted too often (a crash loop) and was stopped. */
  IMPORT_INTERRUPTED: {
    code: 0,
    status: 500,
    message: 'The import was interrupted too many times and was stopped',
    prefix: '0410',
  },
  /** 404 — unknown route. */
  ROUTE_NOT_FOUND: { code: 0, status: 404, message: 'Not found' },
  /** 405 — method not allowed on a known path. */
  METHOD_NOT_ALLOWED: { code: 0, status: 405, message: 'Method is not allowed' },
  /** 413 — body too large. */
  PAYLOAD_TOO_LARGE: { code: 1102, status: 413, message: 'Request body is too large' },
  /** 415 — body is not JSON. */
  UNSUPPORTED_MEDIA_TYPE: { code: 1102, status: 415, message: 'Unsupported Media Type' },
  /** 400 — malformed request (bad JSON). */
  BAD_REQUEST: { code: 1102, status: 400, message: 'Bad Request' },
  /** 408 — the request's headers or body did not arrive within the server's timeouts (ADR 0046). */
  REQUEST_TIMEOUT: { code: 0, status: 408, message: 'Request Timeout' },
  /** 414 — a path parameter longer than the router accepts (4,096 characters; ADR 0045). */
  URI_TOO_LONG: { code: 0, status: 414, message: 'URI Too Long' },
  /** 431 — request headers larger than the HTTP server accepts (16 kB; ADR 0045). */
  HEADERS_TOO_LARGE: { code: 0, status: 431, message: 'Request Header Fields Too Large' },
  /** 503 — the process is overloaded (event loop lag, memory) and sheds the request; `Retry-After` (ADR 0046). */
  SERVICE_UNAVAILABLE: { code: 0, status: 503, message: 'Service Unavailable' },
  /** 429 — rate limit. */
  TOO_MANY_REQUESTS: { code: 0, status: 429, message: 'Too Many Requests' },
  /** 500 — a bug; never expected. */
  INTERNAL: { code: 0, status: 500, message: 'Internal Server Error' },
} as const;

export type ErrorName = keyof typeof ERROR_CODES;

/** Prefix of the store service in `errorMessage` (spec/NOTES.md). */
export const SERVICE_PREFIX = '0401';

/** Prefix of the import connector service (spec connector-422-validation-failed: `[0410-1803]`). */
export const CONNECTOR_PREFIX = '0410';

/**
 * Prefixes of services other than the store, by operation tag (the endpoints.tsv group): errors that are not an
 * AppError of the catalogue (request validation, bad JSON) raised on their routes carry that prefix.
 */
export const PREFIX_BY_TAG: Readonly<Record<string, string>> = { 'connector-admin': CONNECTOR_PREFIX };

/** The `errorMessage` prefix of `kind`: its own (`prefix`) or the store's. */
export function prefixOf(kind: ErrorName): string {
  const def = ERROR_CODES[kind];
  return 'prefix' in def ? def.prefix : SERVICE_PREFIX;
}
