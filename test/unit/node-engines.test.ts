/**
 * Node 20 is what the README and package.json `engines` claim (issue 15 item 10): every package the lockfile
 * installs — dependencies, dev dependencies, optional ones — must accept the lowest Node version claimed, so
 * `npm ci` on Node 20 prints no EBADENGINE warning. Packages that moved to Node 22 are held at their last Node 20
 * version by `overrides` in package.json (ADR 0053).
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
const pkg = read('package.json') as { engines: { node: string } };
const lock = read('package-lock.json') as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('Node versions', () => {
  const lowest = semver.minVersion(pkg.engines.node)!.version;

  it('claims Node 20 in package.json and the README', () => {
    expect(semver.major(lowest)).toBe(20);
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(
      `Node.js ${pkg.engines.node}`,
    );
  });

  it('installs only packages that support the lowest Node version claimed', () => {
    const refused = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, p]) => {
        const range = Array.isArray(p.engines) ? undefined : p.engines?.node;
        return range && !semver.satisfies(lowest, range, { includePrerelease: true })
          ? [`${path.replace(/^.*node_modules\//, '')}@${p.version} needs node ${range}`]
          : [];
      });
    expect(refused).toEqual([]);
  });
});
