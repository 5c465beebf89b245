export { reservationRoutes } from './routes.ts';
export { startExpirySweeper, sweepExpired } from './sweeper.ts';
export { releaseReservation, commitReservation } from './release.ts';
export { getReservation } from './read.ts';
export type { Reservation } from './read.ts';
export { reservationTransitions, reservationStatuses } from './transitions.ts';
export type { ReservationStatus } from './transitions.ts';
