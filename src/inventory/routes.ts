import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/app.ts';

export function inventoryRoutes(_app: FastifyInstance, _context: AppContext): void {}
