/**
 * Schemas of the user-limits-admin operations (spec get-user-item-limit, add-/set-/remove-user-item-limit,
 * reset-user-item-limit, reset-all-user-items-limit): the user is named by its external id (`^\S+$`),
 * `available` is an integer count of items.
 */
import { Type } from 'typebox';
import { Nullable } from '../../http/schemas.js';

export const UserExternalId = Type.String({
  minLength: 1,
  pattern: '^\\S+$',
  description: 'User external ID.',
});

export const UserRef = Type.Object({ user_external_id: UserExternalId });

export const UserLimitQuery = Type.Object({ user_external_id: UserExternalId });

/** Body of add- and remove-user-item-limit (`available` ≥ 1). */
export const UserLimitChange = Type.Object({
  user: UserRef,
  available: Type.Integer({ minimum: 1, description: 'Items to give or take back.' }),
});

/** Body of set-user-item-limit (`available` ≥ 0). */
export const UserLimitSet = Type.Object({
  user: UserRef,
  available: Type.Integer({ minimum: 0, description: 'Items the user may still buy.' }),
});

/** Body of reset-user-item-limit: `user: null` resets every user. */
export const UserLimitReset = Type.Object({ user: Type.Optional(Nullable(UserRef)) });

/** Body of reset-all-user-items-limit. */
export const UserLimitResetAll = Type.Object({ user: UserRef });

export const UserLimitResponse = Type.Object({
  per_user: Type.Object({
    total: Type.Integer({ description: 'Items a user may buy.' }),
    available: Type.Integer({ description: 'Items this user may still buy.' }),
  }),
});
