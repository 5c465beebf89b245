/** The carrier's public tracking page for a tracking number, when Consign knows the carrier. */
const TRACKING_PAGES: [RegExp, (n: string) => string][] = [
  [/^ups\b/i, (n) => `https://www.ups.com/track?tracknum=${n}`],
  [/^fed ?ex\b/i, (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`],
  [/^usps\b|^us postal/i, (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`],
  [/^dhl\b/i, (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=${n}`],
];

export function trackingUrl(carrier: string | null | undefined, trackingNumber: string): string | undefined {
  const page = TRACKING_PAGES.find(([pattern]) => pattern.test((carrier ?? '').trim()));
  return page?.[1](encodeURIComponent(trackingNumber));
}
