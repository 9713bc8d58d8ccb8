/**
 * A process lock for a PGlite data directory: `<dataDir>.lock` holds the owner's pid. Two processes on one
 * PGlite directory corrupt it (DESIGN §3), so the second one is refused with a message naming the first.
 * A lock left by a dead process (kill -9) is taken over.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly pid: number,
  ) {
    super(
      `The data directory is in use by another Itemshop process (pid ${pid}, lock file ${lockPath}). ` +
        'The embedded database allows one process at a time: stop that process (e.g. the server, to run a CLI ' +
        'command), set DATA_DIR to another directory, or use PostgreSQL (DATABASE_URL).',
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock for `dataDir`. Returns a release function (idempotent).
 * @throws DataDirLockedError when a live process (this one included) holds it.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = `${resolve(dataDir)}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockPath, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataDirLockedError(lockPath, pid);
      rmSync(lockPath, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}
