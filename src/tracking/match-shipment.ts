import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';

/** Names that services spell differently for the same carrier, reduced to one key. */
const carrierAliases: Readonly<Record<string, string>> = {
  federalexpress: 'fedex',
  unitedparcelservice: 'ups',
  unitedstatespostalservice: 'usps',
  uspostalservice: 'usps',
  dhlexpress: 'dhl',
  dhlecommerce: 'dhl',
};

/** `FedEx`, `fedex`, `Federal Express` → `fedex`; `dhl_express`, `DHL Express` → `dhl`. */
function carrierKey(name: string): string {
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return carrierAliases[compact] ?? compact;
}

/** Whether a service's carrier name and ours mean the same carrier (one may be a product of the other: `usps` / `usps_priority`). */
function carrierMatches(ours: string, theirs: string): boolean {
  const a = carrierKey(ours);
  const b = carrierKey(theirs);
  return a !== '' && b !== '' && (a === b || a.startsWith(b) || b.startsWith(a));
}

interface MatchedShipment {
  id: string;
  carrier: string;
}

/** Tracking numbers are matched as stored, and without the spaces some labels print in them. */
function trackingNumberForms(trackingNumber: string): string[] {
  const trimmed = trackingNumber.trim();
  const compact = trimmed.replace(/\s+/g, '');
  return compact === trimmed ? [trimmed] : [trimmed, compact];
}

/**
 * The shipment a carrier update is about: same tracking number and, when the service names the
 * carrier, the same carrier. Carriers reuse tracking numbers over the years, so among several the
 * most recently shipped one wins.
 */
export async function findShipmentByTracking(
  executor: Executor,
  trackingNumber: string,
  carrier: string | null,
): Promise<MatchedShipment | undefined> {
  const forms = trackingNumberForms(trackingNumber);
  const rows = await query<MatchedShipment>(
    executor,
    sql`select id, carrier from shipments
        where tracking_number in (${sql.join(
          forms.map((f) => sql`${f}`),
          sql`, `,
        )})
        order by shipped_at desc, id desc limit 20`,
  );
  return rows.find((row) => carrier === null || carrierMatches(row.carrier, carrier));
}
