export { reservationRoutes } from './routes.ts';
export { startExpirySweeper } from './sweeper.ts';
export type { SweeperOptions } from './sweeper.ts';
