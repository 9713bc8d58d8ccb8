/**
 * The contract recorder of a test file: validates one response of an operation against the official spec
 * (status documented, JSON body matches the schema of that status) and remembers which operations were
 * validated, so each file can assert that none of its operations was forgotten.
 */
import { expect } from 'vitest';
import { operations } from '../../src/http/operations.js';
import { documentedStatuses, readSpecFile, responseContract } from './spec.js';

/** What `app.inject` returns that we look at. */
export interface InjectedResponse {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
}

/** The groups of spec/endpoints.tsv this tier covers (every operation of each must be validated). */
export const CONTRACT_GROUPS = [
  'virtual-items-currency-admin',
  'virtual-items-currency-catalog',
  'common-catalog',
  'common-merchant',
  'bundles-admin',
  'bundles-catalog',
  'game-keys-admin',
  'game-keys-catalog',
  'game-keys-entitlement',
  'connector-admin',
  'payment-client-side',
  'payment-server-side',
  'order',
  'free-item',
  'virtual-payment',
  'cart-client-side',
  'cart-server-side',
  'user-limits-admin',
  'common-pre-orders',
] as const;
export type ContractGroup = (typeof CONTRACT_GROUPS)[number];

/** `doc_slug`s of endpoints.tsv rows of `groups` (read at run time; the spec folder must exist). */
export function docSlugsOf(groups: readonly ContractGroup[]): string[] {
  const tsv = readSpecFile('endpoints.tsv');
  if (tsv === null) throw new Error('endpoints.tsv not found next to the spec');
  const [header, ...rows] = tsv
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const groupCol = header.indexOf('group');
  const slugCol = header.indexOf('doc_slug');
  return [
    ...new Set(
      rows.filter((r) => (groups as readonly string[]).includes(r[groupCol])).map((r) => r[slugCol]),
    ),
  ];
}

/**
 * The Xsolla error envelope every error body carries (spec/NOTES.md "Error envelope": the iOS SDK fails to
 * decode an error without integer `statusCode`/`errorCode` and string `errorMessage`). The spec's error schemas
 * list these fields without requiring them, so this is checked on top of the spec.
 */
export function envelopeProblems(status: number, body: unknown): string[] {
  if (typeof body !== 'object' || body === null)
    return [`error body is not an object: ${JSON.stringify(body)}`];
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  if (b.statusCode !== status) problems.push(`statusCode ${JSON.stringify(b.statusCode)} ≠ HTTP ${status}`);
  if (!Number.isInteger(b.errorCode))
    problems.push(`errorCode is not an integer: ${JSON.stringify(b.errorCode)}`);
  if (typeof b.errorMessage !== 'string')
    problems.push(`errorMessage is not a string: ${JSON.stringify(b.errorMessage)}`);
  // 0401: the store; 0410: the import connector (connector-admin; spec connector-422-validation-failed)
  else if (b.errorCode !== 0 && !/^\[04(01|10)-\d+\]: /.test(b.errorMessage))
    problems.push(`errorMessage lacks the [0401-<code>] prefix: ${b.errorMessage}`);
  return problems;
}

export interface CheckOptions {
  /**
   * The status is not documented for this operation in the spec (e.g. 404 of admin-get-virtual-item) but is
   * the correct answer; only the error envelope is checked, and the operation does not count as covered.
   */
  undocumented?: boolean;
  /** Called from a hook (beforeAll), where `expect.soft` is not available: fail hard. */
  inHook?: boolean;
}

/** Records contract checks of one test file. */
export class ContractRecorder {
  /** doc_slugs whose success (2xx) response was validated against the spec. */
  readonly covered = new Set<string>();
  /** `doc_slug status` pairs validated. */
  readonly pairs = new Set<string>();

  /**
   * Asserts `res` of `docSlug` honours the spec: the status is documented (unless `undocumented`), the body is
   * valid JSON matching the schema of that status (204: empty), error bodies carry the Xsolla envelope.
   * Returns the parsed body.
   */
  check(docSlug: string, res: InjectedResponse, opts: CheckOptions = {}): unknown {
    const { statusCode: status } = res;
    const contract = responseContract(docSlug, status);
    const label = `${docSlug} → ${status}`;
    let body: unknown = undefined;
    if (status === 204) {
      expect(res.body, `${label}: a 204 has no body`).toBe('');
    } else {
      expect(String(res.headers['content-type'] ?? ''), `${label}: content-type`).toMatch(
        /^application\/json/,
      );
      try {
        body = JSON.parse(res.body);
      } catch {
        throw new Error(`${label}: body is not JSON: ${res.body.slice(0, 200)}`);
      }
    }
    if (status >= 400) expect(envelopeProblems(status, body), `${label}: error envelope`).toEqual([]);
    if (opts.undocumented) {
      expect(
        contract.documented,
        `${label}: marked undocumented but the spec documents it — drop the flag`,
      ).toBe(false);
      expect(status, `${label}: only error statuses may be undocumented`).toBeGreaterThanOrEqual(400);
      return body;
    }
    expect(
      contract.documented,
      `${label}: the spec does not document this status (body: ${res.body.slice(0, 200)})`,
    ).toBe(true);
    const errors = contract.validate(body);
    // soft inside tests: a test reports every violating response, not only the first
    (opts.inHook ? expect : expect.soft)(
      errors,
      `${label}: response violates the spec schema${contract.errata.length ? ` (errata: ${contract.errata.join(', ')})` : ''}`,
    ).toEqual([]);
    if (errors.length === 0) {
      if (status < 300) this.covered.add(docSlug);
      this.pairs.add(`${docSlug} ${status}`);
    }
    return body;
  }

  /** Asserts a success response of every operation of `groups` was validated, and that the app serves each of them. */
  expectCovered(groups: readonly ContractGroup[]) {
    const expected = docSlugsOf(groups);
    expect(expected.length, `endpoints.tsv rows of ${groups.join(', ')}`).toBeGreaterThan(0);
    const served = new Set(operations.map((o) => o.docSlug));
    expect(
      expected.filter((s) => !served.has(s)),
      'operations missing from src/http/operations.ts',
    ).toEqual([]);
    expect
      .soft(
        expected.filter((s) => !this.covered.has(s)),
        'operations whose success response was never validated against the spec',
      )
      .toEqual([]);
    const untested = expected.flatMap((slug) =>
      documentedStatuses(slug)
        .filter((status) => !this.pairs.has(`${slug} ${status}`))
        .map((status) => `${slug} ${status}`),
    );
    expect.soft(untested, 'documented statuses never triggered and validated').toEqual([]);
  }
}
