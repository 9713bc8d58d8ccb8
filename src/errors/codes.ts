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
  /** 429 — rate limit. */
  TOO_MANY_REQUESTS: { code: 0, status: 429, message: 'Too Many Requests' },
  /** 500 — a bug; never expected. */
  INTERNAL: { code: 0, status: 500, message: 'Internal Server Error' },
} as const;

export type ErrorName = keyof typeof ERROR_CODES;

/** Prefix of the store service in `errorMessage` (spec/NOTES.md). */
export const SERVICE_PREFIX = '0401';
