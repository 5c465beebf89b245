import { navigate, useLocation } from '../router.tsx';

/**
 * Cursor pagination kept in the URL (`pages`: the cursors walked, comma-separated), so that a page
 * can be linked, reloaded, and Back returns to it. Changing a list's filters drops `pages`.
 */
export function useUrlPages(pageSize: number) {
  const { path, search } = useLocation();
  const cursors = (search.get('pages') ?? '').split(',').filter(Boolean);
  const go = (next: string[]) => {
    const params = new URLSearchParams(search);
    if (next.length) params.set('pages', next.join(','));
    else params.delete('pages');
    navigate(`${path}${params.size ? `?${params}` : ''}`);
  };
  return {
    cursor: cursors.at(-1),
    key: cursors.join(','),
    pager: (list: { next_cursor?: string | null; total?: number; total_is_exact?: boolean } | undefined) => ({
      hasPrevious: cursors.length > 0,
      next: list?.next_cursor,
      onPrevious: () => go(cursors.slice(0, -1)),
      onNext: () => list?.next_cursor && go([...cursors, list.next_cursor]),
      page: cursors.length + 1,
      pageSize,
      total: list?.total,
      totalIsExact: list?.total_is_exact ?? true,
    }),
  };
}

/** The URL of `path` with `params` (empty values left out): a list's filters, from its first page. */
export function listUrl(path: string, params: Record<string, string>): string {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));
  return `${path}${query.size ? `?${query}` : ''}`;
}
