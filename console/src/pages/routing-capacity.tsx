import { useEffect, useId, useState } from 'react';
import { ApiError } from '../api/client.ts';
import type { Location } from '../api/types.ts';
import { useDirectory } from '../directory.tsx';
import { useSession } from '../session.tsx';
import type { ConfirmRequest } from '../ui/confirm.tsx';
import { useAction } from '../ui/load.ts';

/** "40 a day" or "no limit". */
export const capacityText = (capacity: number | null | undefined) =>
  capacity == null ? 'no limit' : `${capacity} a day`;

/** The server's words on the capacity field ("must be >= 0"), or its whole message. */
function capacityError(error: Error): string {
  const errors =
    error instanceof ApiError ? ((error.problem.errors as { pointer: string; message: string }[]) ?? []) : [];
  const mine = errors.filter((e) => e.pointer === '/daily_capacity').map((e) => e.message);
  return mine.length ? [...new Set(mine)].join('; ') : error.message;
}

/**
 * A location's daily capacity (fulfillment orders a day). It is a setting of the location, not of
 * the rules: whoever may change locations sets it here, confirmed first, and it applies to routing
 * at once whatever version is active. Everyone else reads it.
 */
export function CapacityCell({
  location,
  ask,
  say,
}: {
  location: Location;
  ask: (request: ConfirmRequest) => void;
  say: (message: string) => void;
}) {
  const { api, can } = useSession();
  const { reload } = useDirectory();
  const save = useAction();
  const id = useId();
  const current = location.daily_capacity ?? null;
  const [value, setValue] = useState(current == null ? '' : String(current));
  useEffect(() => setValue(current == null ? '' : String(current)), [current]);
  if (!can('network:write')) return <>{capacityText(current)}</>;
  const next = value.trim() === '' ? null : Number(value);
  const saved = () => {
    say(
      next == null
        ? `${location.name} has no daily capacity now.`
        : `${location.name}'s daily capacity is ${next} orders.`,
    );
    reload();
  };
  const confirm = () =>
    ask({
      title:
        next == null
          ? `Remove ${location.name}'s daily capacity?`
          : `Set ${location.name}'s daily capacity to ${next} orders?`,
      body: <p>It applies to routing at once, whatever version is active.</p>,
      confirm: 'Save capacity',
      run: () => void save.run(() => api.patch(`/v1/locations/${location.id}`, { daily_capacity: next }), saved),
    });
  return (
    <span className="inline">
      <input
        type="number"
        min={0}
        step={1}
        placeholder="no limit"
        aria-label={`Daily capacity of ${location.name}`}
        aria-describedby={save.error ? `${id}-error` : undefined}
        aria-invalid={save.error ? true : undefined}
        value={value}
        onChange={(e) => {
          save.clear();
          setValue(e.target.value);
        }}
        onKeyDown={(e) => {
          // Enter saves the capacity, never the rules draft around it.
          if (e.key !== 'Enter') return;
          e.preventDefault();
          if (next !== current) confirm();
        }}
      />
      <button type="button" disabled={save.busy || next === current} onClick={confirm}>
        Save capacity
      </button>
      {save.error ? (
        <span id={`${id}-error`} className="error" role="alert">
          {capacityError(save.error)}
        </span>
      ) : null}
    </span>
  );
}
