import { useState, type FormEvent } from 'react';
import type { SearchHit } from '../api/types.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAction } from './load.ts';

/** Where each kind of search result opens. */
function pageOf(hit: SearchHit): string {
  const id = encodeURIComponent(hit.id);
  switch (hit.kind) {
    case 'order':
      return `/orders/${id}`;
    case 'customer':
      return `/customers/${id}`;
    case 'sku':
      return `/inventory?skus=${id}`;
    case 'return':
      return `/returns?rma=${id}`;
  }
}

/**
 * The header's search box, on every page: an order number, an e-mail, a SKU or an RMA number. One
 * result, or an exact one, opens at once; otherwise the results are listed to choose from.
 */
export function GlobalSearch() {
  const { api } = useSession();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[]>();
  const action = useAction();
  const open = (hit: SearchHit) => {
    setHits(undefined);
    setText('');
    navigate(pageOf(hit));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    if (!q) return;
    void action.run(async () => {
      const found = (await api.get<{ data: SearchHit[] }>('/v1/search', { q })).data;
      const exact = found.filter((h) => h.exact);
      const only = found.length === 1 ? found[0] : exact.length === 1 ? exact[0] : undefined;
      if (only) open(only);
      else setHits(found);
    });
  };
  return (
    <form className="global-search" role="search" aria-label="Search everything" onSubmit={submit}>
      <input
        type="search"
        aria-label="Order, e-mail, SKU or RMA"
        placeholder="Order, e-mail, SKU or RMA"
        value={text}
        onChange={(e) => (setText(e.target.value), setHits(undefined))}
      />
      {action.error ? (
        <p role="alert" className="error">
          Search failed: {action.error.message}
        </p>
      ) : null}
      {hits ? (
        <ul className="search-results" aria-label="Search results">
          {hits.length === 0 ? <li className="muted">Nothing found.</li> : null}
          {hits.map((hit) => (
            <li key={`${hit.kind}:${hit.id}`}>
              <Link href={pageOf(hit)} onClick={() => (setHits(undefined), setText(''))}>
                {hit.label}
              </Link>{' '}
              <span className="muted">{hit.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
