/**
 * Helpers of the import tests: a file server on 127.0.0.1 (the import fetches its file over HTTP), waiting for an
 * import to finish, and the admin views of every item of an export, to compare two projects.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Tenant } from '../helpers/app.js';

export interface FileServer {
  /** Serves `body` at `path` with `contentType` (and `status`); returns its URL. */
  serve(path: string, body: string, contentType?: string, status?: number): string;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (a random port) serving registered files. */
export async function fileServer(): Promise<FileServer> {
  const files = new Map<string, { body: string; type: string; status: number }>();
  const server: Server = createServer((req, res) => {
    const f = files.get(req.url ?? '');
    if (!f) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(f.status, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serve(path, body, contentType = 'application/json', status = 200) {
      files.set(path, { body, type: contentType, status });
      return `http://127.0.0.1:${port}${path}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const statusUrl = (projectId: number) =>
  `/api/v1/admin/projects/${projectId}/connectors/import_items/import/status`;
export const importUrl = (projectId: number) => `/api/v1/projects/${projectId}/import/from_external_file`;

/** POSTs an import of `fileUrl` for the tenant; returns the response. */
export function postImport(t: Tenant, fileUrl: string, mode?: string) {
  return t.adminCall('POST', importUrl(t.projectId), {
    connector_external_id: 'import_items',
    file_url: fileUrl,
    ...(mode ? { mode } : {}),
  });
}

export interface StatusBody {
  import_id: string;
  status: string;
  progress: number;
  date_completed: string;
  error: string | null;
  error_code: string | null;
  result: {
    errors_count: number;
    total_entities_count: number;
    processed_entities_count: number;
    errors_by_sku: { sku: string; type: string; error_code: number; error_message: string }[];
  };
}

/**
 * Polls the tenant's import status until `importId` is finished (`done` or `error`); a bounded loop (≈ 60 s).
 */
export async function waitForImport(t: Tenant, importId: string): Promise<StatusBody> {
  for (let i = 0; i < 600; i++) {
    const res = await t.adminCall('GET', statusUrl(t.projectId));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as StatusBody;
    if (body.import_id === importId && (body.status === 'done' || body.status === 'error')) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import ${importId} did not finish`);
}

/** The admin GET path of each item section of an export. */
export const ADMIN_PATH: Record<string, string> = {
  virtual_currency: '/admin/items/virtual_currency/sku/',
  virtual_items: '/admin/items/virtual_items/sku/',
  virtual_currency_package: '/admin/items/virtual_currency/package/sku/',
  bundle: '/admin/items/bundle/sku/',
  game: '/admin/items/game/sku/',
};

/**
 * Drops what differs between two projects by nature: ids (`item_id`, everywhere), and the code counters of game
 * keys (`keys`, `is_sales_exist`: codes are not exported).
 */
export function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'item_id' || k === 'keys' || k === 'is_sales_exist') continue;
    out[k] = withoutIds(v);
  }
  return out;
}

/** sku → admin view (without ids) of every item an export lists, read from the tenant's project. */
export async function adminViews(
  app: FastifyInstance,
  projectId: number,
  auth: { authorization: string },
  doc: Record<string, unknown>,
): Promise<Map<string, unknown>> {
  const views = new Map<string, unknown>();
  for (const [section, path] of Object.entries(ADMIN_PATH)) {
    for (const entry of (doc[section] as { sku: string }[] | undefined) ?? []) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v2/project/${projectId}${path}${encodeURIComponent(entry.sku)}`,
        headers: auth,
      });
      expect(res.statusCode, `${section} ${entry.sku}: ${res.body}`).toBe(200);
      views.set(`${section}:${entry.sku}`, withoutIds(res.json()));
    }
  }
  return views;
}

/** The admin lists of groups, attributes and regions of a project (ids dropped), to compare two projects. */
export async function adminStructure(t: Pick<Tenant, 'adminCall'>) {
  const groups = (await t.adminCall('GET', '/admin/items/groups')).json() as { groups: { id?: number }[] };
  const attributes = (await t.adminCall('GET', '/admin/attribute?limit=50')).json();
  const regions = (await t.adminCall('GET', '/admin/region')).json() as {
    regions: { id?: number }[];
  };
  return {
    groups: groups.groups.map(({ id: _id, ...g }) => g),
    attributes,
    regions: regions.regions.map(({ id: _id, ...r }) => r),
  };
}
