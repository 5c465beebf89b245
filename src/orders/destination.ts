import { coordinatesForPostalCode } from '../routing/index.ts';
import type { ShippingAddress } from './schemas.ts';

/** Where an order goes: the address's coordinates, or its postal code's centroid (offline). */
export function destinationOf(address: ShippingAddress | undefined): { latitude: number; longitude: number } | null {
  if (!address) return null;
  if (address.latitude !== undefined && address.longitude !== undefined) {
    return { latitude: address.latitude, longitude: address.longitude };
  }
  if (!address.postal_code) return null;
  return coordinatesForPostalCode(address.country, address.postal_code);
}
