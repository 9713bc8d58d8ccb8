/**
 * The query-string parser of every route (Fastify `querystringParser`): the parser Fastify uses by default
 * (`fast-querystring`: repeated keys become arrays, `+` is a space), plus one normalization every client needs —
 * list parameters sent as ONE comma-joined value are split into their items. The iOS SDK sends
 * `additional_fields=media_list,order`; other SDKs send `additional_fields[]=a&additional_fields[]=b` or repeat
 * the unbracketed name (Defold). All three forms reach the schemas as the same array
 * (docs/decisions/0021-list-query-parameters.md).
 */
import querystring from 'fast-querystring';

/** Query parameters whose values are lists of names, accepted comma-joined. */
const LIST_PARAMETERS = new Set(['additional_fields', 'additional_fields[]']);

/** `'a,b'` or `['a,b', 'c']` → `['a', 'b', 'c']`: items trimmed, empty ones dropped. */
function splitList(value: unknown): unknown[] {
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [v]))
    .filter((v) => v !== '');
}

/** Parses a raw query string (without `?`) into the object routes validate. */
export function parseQueryString(raw: string): Record<string, unknown> {
  if (raw.length === 0) return {};
  const query = querystring.parse(raw) as Record<string, unknown>;
  for (const key of LIST_PARAMETERS) {
    if (key in query) query[key] = splitList(query[key]);
  }
  return query;
}
