/**
 * PGlite on a data directory with writes flushed to disk at commit (ADR 0042).
 *
 * PGlite 0.5 (node_modules/@electric-sql/pglite) starts PostgreSQL with `-F` (fsync = off), and its NodeFS mounts
 * the data directory through Emscripten's NODEFS, whose `fsync` is missing and whose `fdatasync` does nothing: every
 * write reaches the operating system at once (a crash of the process loses nothing acknowledged), but nothing ever
 * asks the disk to keep it (a power cut or an OS crash can lose recent commits and leave the directory damaged).
 * `relaxedDurability` only concerns the browser file systems (IndexedDB, OPFS): NodeFS's syncToFs is empty.
 *
 * Here PostgreSQL runs with `fsync = on` and `wal_sync_method = fsync` (so it calls fsync(), not the empty
 * fdatasync()), and NODEFS gets the fsync it lacks: Node's fsyncSync on the file's descriptor. A commit then
 * returns only after its WAL record is on disk, as on a stock PostgreSQL.
 */
import fs from 'node:fs';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/** What the Emscripten module hands to a preRun hook (the parts used here). */
interface EmscriptenModule {
  NODEFS: {
    stream_ops: { fsync?: (stream: { nfd?: number }) => number };
    tryFSOperation<T>(f: () => T): T;
  };
}

/** NodeFS whose streams really fsync (PGlite's leaves fsync out). */
class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]) {
    const result = await super.init(pg, opts);
    const preRun = (result.emscriptenOpts.preRun ?? []) as ((mod: EmscriptenModule) => void)[];
    preRun.push((mod) => {
      const nodefs = mod.NODEFS;
      nodefs.stream_ops.fsync = (stream) => {
        // errors become errno values PostgreSQL sees (a failed fsync is a PANIC there, as it must be)
        if (stream.nfd !== undefined) nodefs.tryFSOperation(() => fs.fsyncSync(stream.nfd!));
        return 0;
      };
    });
    result.emscriptenOpts.preRun = preRun as typeof result.emscriptenOpts.preRun;
    return result;
  }
}

/**
 * Options that make PGlite flush at commit in `dataDir`: the durable file system and PostgreSQL's start parameters
 * without `-F`, with `fsync = on` and `wal_sync_method = fsync`.
 */
export function durablePgliteOptions(dataDir: string): PGliteOptions {
  return {
    fs: new DurableNodeFS(dataDir),
    startParams: [
      ...PGlite.defaultStartParams.filter((p) => p !== '-F'),
      '-c',
      'fsync=on',
      '-c',
      'wal_sync_method=fsync',
    ],
  };
}
