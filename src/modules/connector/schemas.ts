/**
 * Schemas of the import connector (endpoints.tsv group connector-admin): the body of
 * import-items-from-external-file, its answer, the status view of get-items-import-status (fields as the
 * official spec names them), and the Itemshop-extension entries of the import file (groups, attributes,
 * regions); item entries use the admin create bodies of their areas.
 */
import { Type } from 'typebox';
import { Nullable } from '../../http/schemas.js';
import { AttributeBody, ValueBody } from '../attributes/schemas.js';
import { GroupBody } from '../groups/schemas.js';
import { RegionBody } from '../regions/schemas.js';
export { ProjectParams } from '../../http/schemas.js';

export const ImportMode = Type.Union(
  [Type.Literal('create'), Type.Literal('create_and_update'), Type.Literal('sync')],
  {
    default: 'create_and_update',
    description:
      '`create`: add new items only (an existing sku is reported); `create_and_update`: add new and replace ' +
      'existing ones; `sync`: as create_and_update, then hide from the store every virtual item, currency, ' +
      'package and bundle missing from the file.',
  },
);

/** Body of import-items-from-external-file. */
export const ImportBody = Type.Object({
  connector_external_id: Type.Literal('import_items', {
    description: 'The kind of connector operation: always `import_items`.',
  }),
  file_url: Type.String({
    minLength: 1,
    maxLength: 2048,
    description:
      'URL of the JSON file (http or https, served as application/json); `file://` only inside the ' +
      "server's IMPORT_FILE_DIR.",
  }),
  mode: Type.Optional(ImportMode),
});

export const ImportCreated = Type.Object({
  import_id: Type.String({ description: 'Id of the import (32 hexadecimal characters).' }),
});

const EntryErrorView = Type.Object({
  sku: Type.String({
    description: 'Sku of the entry (external id of a group or attribute; id of a region).',
  }),
  type: Type.String({
    description:
      '`virtual_good`, `virtual_currency`, `virtual_currency_packages`, `bundle`; Itemshop extensions: ' +
      '`game`, `group`, `attribute`, `region`.',
  }),
  error_code: Type.Integer(),
  error_message: Type.String({ description: '`[<service>-<code>]: <text>` as the failed call answered.' }),
});

/** get-items-import-status: the project's latest import. */
export const ImportStatusView = Type.Object({
  import_id: Type.String({
    description: 'Itemshop extension: the id import-items-from-external-file returned.',
  }),
  status: Type.Union(
    [Type.Literal('initialized'), Type.Literal('process'), Type.Literal('done'), Type.Literal('error')],
    { description: '`error` when the import failed or at least one entry failed (the others are applied).' },
  ),
  date_created: Type.String({ description: 'ISO 8601, in GMT+3 as the real service writes it.' }),
  date_updated: Type.String({ description: 'ISO 8601 (GMT+3): the last progress.' }),
  date_completed: Type.String({ description: 'ISO 8601 (GMT+3), or "" while the import runs.' }),
  progress: Type.Integer({ description: 'Percent of entries handled; 100 only once finished.' }),
  error: Nullable(Type.String({ description: 'A general failure of the import, else null.' })),
  error_code: Nullable(Type.String()),
  result: Type.Object({
    errors_count: Type.Integer(),
    total_entities_count: Type.Integer({ description: 'Entries in the file.' }),
    processed_entities_count: Type.Integer({ description: 'Itemshop extension: entries handled so far.' }),
    errors_by_sku: Type.Array(EntryErrorView),
  }),
});

// ---------- Itemshop-extension entries of the import file ----------

/** A `groups` entry: admin-create-item-group body, plus the order of the items in it. */
export const GroupEntry = Type.Object({
  ...GroupBody.properties,
  items: Type.Optional(
    Type.Array(Type.Object({ sku: Type.String({ minLength: 1 }), order: Type.Integer() }), {
      description: 'Position (`item_order_in_group`) of items in the group, applied after the items.',
    }),
  ),
});

/** An `attributes` entry: admin-create-attribute body with its values (admin-create-attribute-value bodies). */
export const AttributeEntry = Type.Object({
  ...AttributeBody.properties,
  values: Type.Optional(Type.Array(ValueBody, { maxItems: 20 })),
});

/** A `regions` entry: admin-create-region body, plus its id in the exported project (items refer to it). */
export const RegionEntry = Type.Object({
  ...RegionBody.properties,
  id: Type.Optional(Type.Integer({ minimum: 1 })),
});
