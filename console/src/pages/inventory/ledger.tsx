import { useState, type FormEvent } from 'react';
import type { LedgerEntry, Page } from '../../api/types.ts';
import { useDirectory } from '../../directory.tsx';
import { Link, navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Card, Empty, ErrorNotice, Pager, Table } from '../../ui/common.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useCursors, useLoad } from '../../ui/load.ts';

const PAGE_SIZE = 20;

/** The movements of one reference (an adjustment or transfer, a hold, a count…): the ledger filtered by it. */
export const movementsHref = (referenceId: string) =>
  `/inventory?${new URLSearchParams({ tab: 'movements', reference: referenceId })}`;

/** Where a ledger row's reference is shown: its order, its return, or every movement it made. */
function referenceHref(entry: LedgerEntry): string | undefined {
  if (!entry.reference_id) return undefined;
  if (entry.reference_type === 'order') return `/orders/${encodeURIComponent(entry.reference_id)}`;
  if (entry.reference_type === 'return') return `/returns?${new URLSearchParams({ rma: entry.reference_id })}`;
  return movementsHref(entry.reference_id);
}

/** What a reference is called on screen: a transfer's two movements share an adjustment's ID. */
function referenceLabel(entry: LedgerEntry): string {
  const type = entry.kind.startsWith('transfer') ? 'transfer' : (entry.reference_type ?? 'reference');
  return `${type} ${entry.reference_id ?? ''}`;
}

/** The ledger rows, newest first, each reference a link to its page. */
function LedgerTable({ label, entries, wide }: { label: string; entries: LedgerEntry[]; wide?: boolean }) {
  const { locationName } = useDirectory();
  return (
    <Table label={label}>
      <thead>
        <tr>
          <th scope="col">When</th>
          {wide ? <th scope="col">SKU</th> : null}
          {wide ? <th scope="col">Location</th> : null}
          <th scope="col">Movement</th>
          <th scope="col" className="num">
            On hand Δ
          </th>
          <th scope="col" className="num">
            Reserved Δ
          </th>
          <th scope="col" className="num">
            On hand after
          </th>
          <th scope="col">Reason</th>
          <th scope="col">Reference</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const href = referenceHref(e);
          return (
            <tr key={e.id} data-entry={e.id}>
              <td>{formatDateTime(e.occurred_at)}</td>
              {wide ? <td>{e.sku}</td> : null}
              {wide ? <td>{locationName(e.location_id)}</td> : null}
              <td>{e.kind}</td>
              <td className="num">{e.on_hand_delta}</td>
              <td className="num">{e.reserved_delta}</td>
              <td className="num">{e.on_hand_after}</td>
              <td>{e.reason ?? ''}</td>
              <td>{href ? <Link href={href}>{referenceLabel(e)}</Link> : null}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

/** The ledger of one SKU at one location, newest first, a page at a time. */
export function LedgerCard({ sku, locationId, version }: { sku: string; locationId: string; version: unknown }) {
  const { api } = useSession();
  const pages = useCursors();
  const ledger = useLoad(
    () =>
      api.get<Page<LedgerEntry>>('/v1/inventory/ledger', {
        location_id: locationId,
        sku,
        order: 'desc',
        limit: PAGE_SIZE,
        cursor: pages.cursor,
      }),
    [api, sku, locationId, pages.cursor, version],
  );
  return (
    <Card title={`Ledger of ${sku}, newest first`}>
      <ErrorNotice error={ledger.error} />
      {ledger.data?.data.length === 0 ? <Empty>No movements.</Empty> : null}
      {ledger.data?.data.length ? <LedgerTable label={`Ledger of ${sku}`} entries={ledger.data.data} /> : null}
      <Pager {...pages.pager(ledger.data?.next_cursor)} />
    </Card>
  );
}

/** Every movement one reference made, at any location: both sides of a transfer, the lines of a hold. */
export function ReferenceMovements({ reference }: { reference: string }) {
  const { api } = useSession();
  const [text, setText] = useState(reference);
  const pages = useCursors();
  const ledger = useLoad(
    async () =>
      reference
        ? api.get<Page<LedgerEntry>>('/v1/inventory/ledger', {
            reference_id: reference,
            order: 'desc',
            limit: PAGE_SIZE,
            cursor: pages.cursor,
          })
        : undefined,
    [api, reference, pages.cursor],
  );
  const find = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    navigate(movementsHref(text.trim()));
  };
  return (
    <>
      <form className="filters" onSubmit={find} role="search" aria-label="Movements of a reference">
        <label>
          Reference
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="adj_…, res_…, a count sheet" />
        </label>
        <button type="submit">Show movements</button>
      </form>
      <ErrorNotice error={ledger.error} />
      {ledger.data?.data.length === 0 ? <Empty>No movement names {reference}.</Empty> : null}
      {ledger.data?.data.length ? (
        <Card title={`Movements of ${reference}`}>
          <LedgerTable label={`Movements of ${reference}`} entries={ledger.data.data} wide />
          <Pager {...pages.pager(ledger.data.next_cursor)} />
        </Card>
      ) : null}
    </>
  );
}
