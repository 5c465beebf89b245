import { expect } from 'vitest';
import { createAutomationWorker } from '../../src/automations/index.ts';
import type { Db } from '../../src/db/index.ts';
import type { TestServer } from './server.ts';

/** Two automation followers, as two processes would run them, ticking together until nothing is left. */
export async function runAutomationFollowers(db: Db, rounds = 6): Promise<void> {
  const options = { gapGraceMs: 0, retryScheduleMs: [20, 20, 20] };
  const workers = [createAutomationWorker(db, options), createAutomationWorker(db, options)];
  for (let i = 0; i < rounds; i++) {
    await Promise.all(workers.map((w) => w.tick()));
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

/** Creates and activates a rule; its ID. */
export async function createActiveRule(server: TestServer, body: Record<string, unknown>): Promise<string> {
  const created = await server.request('POST', '/v1/automations', { body: { activate: true, ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}
