import { sql } from 'drizzle-orm';
import { inTransaction, type Database } from '../src/db/index.ts';
import { createChannel, createLocationGroup } from '../src/network/index.ts';
import { seededRandom } from '../src/shared/random.ts';
import { ok } from '../src/shared/result.ts';
import { addBenchLocation } from './order-network.ts';
import { must } from './seed.ts';

/** A large catalogue for availability: 10,000 SKUs counted in at each of 200 locations. */
export const CATALOGUE = { skus: 10_000, locations: 200, onHand: 500 } as const;
export const CATALOGUE_CHANNEL = 'catalogue';
const SEED = 10_000;

export const catalogueSku = (i: number) => `BENCH-C-${String(i).padStart(5, '0')}`;

/**
 * The locations, their group and channel through Consign's use cases; the 10,000 products and
 * 2,000,000 stock levels (each with its `count` ledger row, as a snapshot feed would write)
 * set-based, inside the database.
 */
export async function seedCatalogue(database: Database): Promise<void> {
  const rand = seededRandom(SEED);
  const created = await inTransaction(database.db, async (tx) => {
    const ids: string[] = [];
    for (let i = 1; i <= CATALOGUE.locations; i++) {
      const code = `CAT-${String(i).padStart(3, '0')}`;
      const location = {
        code,
        type: 'store' as const,
        name: `Catalogue ${code}`,
        capabilities: ['ship' as const, 'pickup' as const],
      };
      ids.push((await addBenchLocation(tx, rand, location)).id);
    }
    const group = must(
      await createLocationGroup(tx, { code: 'bench-catalogue', name: 'Bench catalogue', location_ids: ids }),
      'catalogue group',
    );
    must(
      await createChannel(tx, {
        code: CATALOGUE_CHANNEL,
        name: 'Bench catalogue',
        type: 'web',
        location_group_id: group.id,
      }),
      'catalogue channel',
    );
    await tx.execute(sql`
      insert into products (sku, name, weight_grams)
      select 'BENCH-C-' || lpad(i::text, 5, '0'), 'Catalogue item ' || i, 300 from generate_series(1, ${CATALOGUE.skus}) i`);
    await tx.execute(sql`
      insert into stock_levels (location_id, sku, on_hand, counted_at)
      select l.id, p.sku, ${CATALOGUE.onHand}, '2000-01-01T00:00:00Z'
      from locations l join location_group_members m on m.location_id = l.id
      cross join products p
      where m.group_id = ${group.id} and p.sku like 'BENCH-C-%'`);
    await tx.execute(sql`
      insert into inventory_ledger (location_id, sku, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after,
                                    reason, reference_type, reference_id, occurred_at)
      select location_id, sku, 'count', on_hand, 0, on_hand, 0, 'bench setup', 'feed', 'bench-catalogue', '2000-01-01T00:00:00Z'
      from stock_levels where sku like 'BENCH-C-%'`);
    return ok(undefined);
  });
  must(created, 'catalogue');
  await database.db.execute(sql`analyze`);
}
