import { navigate, useLocation } from '../router.tsx';
import { Page } from '../ui/common.tsx';
import { AvailabilityView } from './inventory/availability.tsx';
import { ReferenceMovements } from './inventory/ledger.tsx';
import { LocationStock } from './inventory/location-stock.tsx';
import { StockLists } from './inventory/stock-lists.tsx';

const TABS = [
  { id: 'sku', label: 'By SKU' },
  { id: 'location', label: 'By location' },
  { id: 'health', label: 'Low stock and overstock' },
  { id: 'movements', label: 'Movements' },
] as const;

export default function InventoryPage() {
  const { search } = useLocation();
  const tab = search.get('tab') ?? 'sku';
  const go = (id: string) => navigate(`/inventory?tab=${id}`);
  return (
    <Page title="Inventory">
      <div role="tablist" aria-label="Inventory views" className="tabs">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} onClick={() => go(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'sku' ? <AvailabilityView initialSkus={search.get('skus') ?? ''} /> : null}
      {tab === 'location' ? <LocationStock /> : null}
      {tab === 'health' ? <StockLists /> : null}
      {tab === 'movements' ? (
        <ReferenceMovements key={search.get('reference')} reference={search.get('reference') ?? ''} />
      ) : null}
    </Page>
  );
}
