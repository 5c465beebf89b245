import { trackingUrl } from './carriers.ts';

/** A tracking number, linked to the carrier's tracking page when the carrier is UPS, FedEx, USPS or DHL. */
export function TrackingNumber({ carrier, number }: { carrier: string | null | undefined; number: string | null }) {
  if (!number) return null;
  const href = trackingUrl(carrier, number);
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer" aria-label={`Track ${number} with ${carrier ?? ''}`}>
      {number}
    </a>
  ) : (
    <>{number}</>
  );
}
