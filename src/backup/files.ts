import fs from 'node:fs';
import { once } from 'node:events';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b];

interface BackupWriter {
  write(line: string): Promise<void>;
  /** Flushes and moves the finished file into place. */
  commit(): Promise<void>;
  /** Removes the partial file. */
  abort(): Promise<void>;
}

/** Writes a line and waits when the stream's buffer is full, so a slow disk holds the writer back. */
async function writeLine(stream: Writable, line: string): Promise<void> {
  if (!stream.write(`${line}\n`)) await once(stream, 'drain');
}

/**
 * Writes backup lines to `file` — gzip-compressed when its name ends in `.gz` — through
 * `<file>.partial`, renamed into place only once complete: an interrupted backup never leaves a
 * file that looks whole. Backups hold every secret of the installation: owner-only (0600).
 */
export function createBackupWriter(file: string): BackupWriter {
  const partial = `${file}.partial`;
  const output = fs.createWriteStream(partial, { mode: 0o600 });
  const gzip = file.endsWith('.gz') ? zlib.createGzip() : undefined;
  gzip?.pipe(output);
  const input: Writable = gzip ?? output;
  return {
    write: (line) => writeLine(input, line),
    commit: async () => {
      input.end();
      await finished(output);
      fs.renameSync(partial, file);
    },
    abort: async () => {
      input.destroy();
      output.destroy();
      fs.rmSync(partial, { force: true });
    },
  };
}

/** A backup file's lines, decompressed when it is gzip (whatever its name). */
export async function* readBackupLines(file: string): AsyncGenerator<string> {
  const head = Buffer.alloc(2);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 2, 0);
  } finally {
    fs.closeSync(fd);
  }
  const raw = fs.createReadStream(file);
  const gzipped = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  const input = gzipped ? raw.pipe(zlib.createGunzip()) : raw;
  raw.once('error', (error) => input.destroy(error));
  yield* streamLines(input);
}

/** The lines of a text stream (a file, or a backup streamed over HTTP). */
export async function* streamLines(input: Readable): AsyncGenerator<string> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    yield* lines;
  } finally {
    lines.close();
    input.destroy();
  }
}
