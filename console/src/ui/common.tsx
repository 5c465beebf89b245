import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { humanize } from './format.ts';

const tone: Record<string, string> = {
  delivered: 'good',
  shipped: 'good',
  picked_up: 'good',
  refunded: 'good',
  received: 'good',
  succeeded: 'good',
  active: 'good',
  partially_shipped: 'info',
  partially_delivered: 'info',
  in_process: 'info',
  accepted: 'info',
  picking: 'info',
  packed: 'info',
  ready_for_pickup: 'info',
  authorized: 'info',
  confirmed: 'info',
  allocated: 'info',
  created: 'warn',
  initiated: 'warn',
  draft: 'warn',
  on_hold: 'warn',
  backordered: 'warn',
  cancelled: 'bad',
  rejected: 'bad',
  failed: 'bad',
  dead: 'bad',
  sent: 'good',
  queued: 'warn',
  edited: 'info',
};

export function Badge({ status, label }: { status: string; label?: string }) {
  return <span className={`badge badge-${tone[status] ?? 'neutral'}`}>{label ?? humanize(status)}</span>;
}

export function ErrorNotice({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  return (
    <div role="alert" className="error">
      <strong>{problem?.title ?? 'Something went wrong'}</strong>
      {problem?.code ? <code> {problem.code}</code> : null}
      <div>{error.message}</div>
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" aria-live="polite">
      {what}…
    </p>
  );
}

/** A page: its heading takes focus on arrival, so keyboard and screen-reader users start there. */
export function Page({ title, actions, children }: { title: ReactNode; actions?: ReactNode; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="page">
      <header className="page-header">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Card({ title, children, id }: { title: ReactNode; children: ReactNode; id?: string }) {
  return (
    <section className="card" aria-labelledby={id ? `${id}-title` : undefined} id={id}>
      <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
      {children}
    </section>
  );
}

/** Tables scroll sideways on a phone instead of breaking the layout. */
export function Table({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table>{children}</table>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted">{children}</p>;
}

export function Pager({
  hasPrevious,
  next,
  onPrevious,
  onNext,
  page,
  pageSize,
  total,
  totalIsExact = true,
}: {
  hasPrevious: boolean;
  next: string | null | undefined;
  onPrevious: () => void;
  onNext: () => void;
  /** With these, the pager says "Page 2 of 3 · 57 in all". */
  page?: number;
  pageSize?: number;
  total?: number | undefined;
  totalIsExact?: boolean;
}) {
  const pages = total !== undefined && pageSize ? Math.max(1, Math.ceil(total / pageSize)) : undefined;
  const more = totalIsExact ? '' : ' or more';
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={onPrevious} disabled={!hasPrevious}>
        Previous
      </button>
      {page !== undefined ? (
        <span className="muted" aria-live="polite">
          Page {page}
          {pages !== undefined ? ` of ${pages}${more}` : ''}
          {total !== undefined ? ` · ${total.toLocaleString('en-US')}${more} in all` : ''}
        </span>
      ) : null}
      <button type="button" onClick={onNext} disabled={!next}>
        Next
      </button>
    </nav>
  );
}
