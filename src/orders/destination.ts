import type { Executor } from '../db/index.ts';
import { locatePostalCode } from '../geo/index.ts';
import type { Coordinates } from '../routing/index.ts';
import type { ShippingAddress } from './schemas.ts';

/**
 * Where an order goes: the address's coordinates, else its postal code's centroid (imported
 * centroids, then for the US the built-in ZIP list). Null without an address or when it cannot
 * be located.
 */
export async function destinationOf(
  executor: Executor,
  address: ShippingAddress | undefined,
): Promise<Coordinates | null> {
  if (!address) return null;
  if (address.latitude !== undefined && address.longitude !== undefined) {
    return { latitude: address.latitude, longitude: address.longitude };
  }
  if (!address.postal_code) return null;
  return locatePostalCode(executor, address.country, address.postal_code);
}

/** How an explanation names an address it could not locate: "BR 01310-100", or the city without a postal code. */
export function addressLabel(address: ShippingAddress): string {
  return `${address.country} ${address.postal_code?.trim() || address.city}`;
}
