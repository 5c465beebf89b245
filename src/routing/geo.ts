import type { Coordinates } from './types.ts';

/** Mean Earth radius (IUGG). */
const EARTH_RADIUS_KM = 6371.0088;
const RADIANS = Math.PI / 180;

/** Great-circle distance in kilometres (haversine). */
export function haversineKm(from: Coordinates, to: Coordinates): number {
  return haversineKmBetween(from.latitude, from.longitude, to.latitude, to.longitude);
}

/** haversineKm on bare degrees (no point objects on the planner's per-candidate path). */
export function haversineKmBetween(fromLat: number, fromLon: number, toLat: number, toLon: number): number {
  const dLat = (toLat - fromLat) * RADIANS;
  const dLon = (toLon - fromLon) * RADIANS;
  const sinLat = Math.sin(dLat / 2);
  const sinLon = Math.sin(dLon / 2);
  const h = sinLat * sinLat + Math.cos(fromLat * RADIANS) * Math.cos(toLat * RADIANS) * sinLon * sinLon;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
