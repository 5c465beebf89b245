import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';
import { exportSnapshot } from './export-snapshot.ts';
import { createBackupWriter } from './files.ts';

/**
 * `POST /v1/admin/backup`: a consistent snapshot of the whole database, streamed as a backup
 * file (JSON Lines, see format.ts). The snapshot is written to a temporary file first and sent
 * from there, so the database's transaction lasts as long as reading it takes, not as long as
 * the client takes to download it (on the embedded engine, other requests wait for it).
 */
export function backupRoutes(app: FastifyInstance, { database }: AppContext): void {
  app.post(
    '/admin/backup',
    {
      config: { permission: 'backups:create' },
      schema: {
        tags: ['admin'],
        summary: 'Take a consistent backup of the whole database',
        description:
          'Streams every table as of one instant, as `application/x-ndjson`: the format `consign restore` reads. `consign backup <file> --server <url>` calls this; it is the way to back up a running embedded database. The backup holds every secret of the installation: keep it as safe as the database.',
      },
    },
    async (_request, reply) => {
      const file = path.join(os.tmpdir(), `consign-backup-${randomUUID()}.jsonl`);
      const writer = createBackupWriter(file);
      try {
        await exportSnapshot(database, writer.write);
        await writer.commit();
      } catch (error) {
        await writer.abort();
        throw error;
      }
      const stream = fs.createReadStream(file);
      stream.once('close', () => fs.rm(file, { force: true }, () => {}));
      const name = `consign-backup-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}.jsonl`;
      return reply
        .type('application/x-ndjson')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
}
