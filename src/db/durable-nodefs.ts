import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/** The parts of Emscripten's NODEFS this module touches (they are not in PGlite's types). */
interface NodeFsInternals {
  realPath(node: unknown): string;
  stream_ops: { fsync?: (stream: { nfd?: number; node: unknown }) => void };
}

interface EmscriptenModule {
  NODEFS: NodeFsInternals;
  FS: { ErrnoError: new (errno: number) => Error };
}

/** Emscripten's errno for EIO: PostgreSQL treats a failed fsync as fatal, as it must. */
const EIO = 29;

/** Flushes one open file, or the directory `path` (Emscripten opens directories without a host descriptor). */
function fsyncHost(nfd: number | undefined, path: () => string): void {
  if (nfd !== undefined) return fs.fsyncSync(nfd);
  const fd = fs.openSync(path(), 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * PGlite's Node filesystem with a working fsync. PGlite writes through Emscripten's NODEFS,
 * whose `fsync` is a no-op, and starts PostgreSQL with fsync off: a commit is in the operating
 * system's cache when it returns, so it survives the process being killed but not a power loss
 * or a kernel crash. This filesystem makes fsync reach the disk; with PostgreSQL's fsync on and
 * `wal_sync_method=fsync` (see `durableStartParams`) a commit returns only once its WAL is on
 * disk, and checkpoints flush the data files before the WAL they replace is recycled.
 */
export class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, options: Parameters<NodeFS['init']>[1]) {
    const { emscriptenOpts } = await super.init(pg, options);
    const makeFsyncReal = (module: unknown) => {
      const { NODEFS, FS } = module as EmscriptenModule;
      if (typeof NODEFS?.realPath !== 'function' || typeof NODEFS.stream_ops !== 'object') {
        throw new Error(
          'This PGlite version has no Emscripten NODEFS to make durable: update Consign, or set CONSIGN_EMBEDDED_FSYNC=off.',
        );
      }
      NODEFS.stream_ops.fsync = (stream) => {
        try {
          fsyncHost(stream.nfd, () => NODEFS.realPath(stream.node));
        } catch {
          throw new FS.ErrnoError(EIO);
        }
      };
    };
    return { emscriptenOpts: { ...emscriptenOpts, preRun: [...(emscriptenOpts.preRun ?? []), makeFsyncReal] } };
  }
}

/** PGlite's start parameters with PostgreSQL's fsync on (PGlite passes `-F`, fsync off) and WAL flushed by fsync. */
export function durableStartParams(): string[] {
  return [...PGlite.defaultStartParams.filter((param) => param !== '-F'), '-c', 'wal_sync_method=fsync'];
}
