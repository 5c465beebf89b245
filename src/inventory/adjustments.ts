import { newId } from '../shared/ids.ts';
import { problem } from '../shared/problem.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { Executor } from '../db/index.ts';
import { applyMovement, ensureLevels, readLevel, type Guard, type Level, type Movement } from './movements.ts';
import { checkReferences } from './references.ts';

type AdjustmentKind = 'receipt' | 'adjustment' | 'transfer';

interface AdjustmentLine {
  kind: AdjustmentKind;
  sku: string;
  location_id: string;
  /** receipt and transfer: positive; adjustment: signed, not zero. */
  quantity: number;
  to_location_id?: string | undefined;
}

interface AdjustmentInput {
  reason: string;
  reference?: string | undefined;
  movements: AdjustmentLine[];
  actor?: string | undefined;
}

interface AdjustmentOutcome {
  id: string;
  reason: string;
  reference: string | null;
  movements: AdjustmentLine[];
  levels: Level[];
}

function lineProblem(index: number, message: string) {
  return problem('validation_failed', message, { errors: [{ pointer: `/movements/${index}/quantity`, message }] });
}

/** Splits each requested line into the per-row movements it causes (a transfer is two). */
function expand(
  line: AdjustmentLine,
  base: Omit<Movement, 'locationId' | 'sku' | 'kind' | 'onHandDelta' | 'reservedDelta'>,
): Movement[] {
  const common = { ...base, sku: line.sku, reservedDelta: 0 };
  switch (line.kind) {
    case 'receipt':
      return [{ ...common, locationId: line.location_id, kind: 'receipt' as const, onHandDelta: line.quantity }];
    case 'adjustment':
      return [{ ...common, locationId: line.location_id, kind: 'adjustment' as const, onHandDelta: line.quantity }];
    case 'transfer':
      return [
        { ...common, locationId: line.location_id, kind: 'transfer_out' as const, onHandDelta: -line.quantity },
        { ...common, locationId: line.to_location_id!, kind: 'transfer_in' as const, onHandDelta: line.quantity },
      ];
  }
}

function validateLines(lines: AdjustmentLine[]) {
  for (const [i, line] of lines.entries()) {
    if (line.kind === 'adjustment' && line.quantity === 0)
      return lineProblem(i, 'an adjustment of zero changes nothing');
    if (line.kind !== 'adjustment' && line.quantity <= 0)
      return lineProblem(i, `a ${line.kind} quantity must be positive`);
    if ((line.kind === 'transfer') !== (line.to_location_id !== undefined)) {
      return problem('validation_failed', 'to_location_id is required for transfers and only for transfers', {
        errors: [
          { pointer: `/movements/${i}/to_location_id`, message: 'required for transfer, not allowed otherwise' },
        ],
      });
    }
    if (line.kind === 'transfer' && line.to_location_id === line.location_id) {
      return problem('validation_failed', 'a transfer needs two different locations', {
        errors: [{ pointer: `/movements/${i}/to_location_id`, message: 'same as location_id' }],
      });
    }
  }
  return undefined;
}

/**
 * Applies relative movements (receipts, adjustments, transfers) atomically: all of them or
 * none. Rows are touched in (sku, location) order so concurrent adjustments cannot deadlock.
 */
export async function applyAdjustments(executor: Executor, input: AdjustmentInput): Promise<Result<AdjustmentOutcome>> {
  const invalid = validateLines(input.movements);
  if (invalid) return fail(invalid);
  const locationIds = input.movements.flatMap((m) =>
    m.to_location_id ? [m.location_id, m.to_location_id] : [m.location_id],
  );
  const unknown = await checkReferences(
    executor,
    input.movements.map((m) => m.sku),
    locationIds,
  );
  if (unknown) return fail(unknown);

  const id = newId('adj');
  // The ledger points at the caller's document (PO, ASN, count sheet) when given, else at this adjustment.
  const base = {
    reason: input.reason,
    referenceType: 'adjustment',
    referenceId: input.reference ?? id,
    actor: input.actor ?? null,
  };
  const movements = input.movements.flatMap((line) => expand(line, base));
  movements.sort((a, b) => (a.sku === b.sku ? cmp(a.locationId, b.locationId) : cmp(a.sku, b.sku)));
  await ensureLevels(executor, movements);

  const levels = new Map<string, Level>();
  for (const movement of movements) {
    const guard: Guard = movement.onHandDelta < 0 ? 'unreserved' : 'none';
    const level = await applyMovement(executor, movement, guard);
    if (!level) {
      const current = await readLevel(executor, movement.locationId, movement.sku);
      return fail(
        problem(
          'insufficient_stock',
          `${movement.sku} at ${movement.locationId} has ${current.on_hand - current.reserved} unreserved units; cannot remove ${-movement.onHandDelta}.`,
          {
            shortfalls: [
              {
                sku: movement.sku,
                location_id: movement.locationId,
                requested: -movement.onHandDelta,
                unreserved: current.on_hand - current.reserved,
              },
            ],
          },
        ),
      );
    }
    levels.set(`${level.location_id}/${level.sku}`, level);
  }
  return ok({
    id,
    reason: input.reason,
    reference: input.reference ?? null,
    movements: input.movements,
    levels: [...levels.values()],
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
