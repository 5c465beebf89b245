import { expect } from 'vitest';
import type { TestServer } from './server.ts';

interface Point {
  latitude: number;
  longitude: number;
}

/** Great-circle km, computed in the tests independently of the planner. */
export function greatCircleKm(a: Point, b: Point): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 +
    Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

/**
 * Starts a routing simulation (202) and polls it every `everyMs` until it succeeded or failed,
 * at most `polls` times; the simulation as GET answers it.
 */
export async function runSimulation(
  server: TestServer,
  body: Record<string, unknown>,
  { path = '/v1/routing/simulations', polls = 400, everyMs = 25 } = {},
) {
  const created = await server.request('POST', path, { body });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  for (let i = 0; i < polls; i++) {
    const current = await server.request('GET', `/v1/routing/simulations/${created.body.id}`);
    if (current.body.status === 'succeeded' || current.body.status === 'failed') return current.body;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error('the simulation did not finish');
}
