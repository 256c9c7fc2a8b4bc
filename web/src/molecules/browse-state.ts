// The molecule browser's state lives in the URL query (?q=&minMw=&sort=&order=&cursor=&page=), so a reload,
// Back/Forward and a shared link all show the same list. This module reads and writes that query.
import {
  RANGE_PARAMS, SORT_FIELDS, selectionQuery,
  type MoleculeSelection, type RangeParam, type SortField, type SortOrder,
} from './molecule-api.ts';

export interface BrowseState {
  selection: MoleculeSelection;
  /** Opaque API cursor of the page shown; null on the first page. */
  cursor: string | null;
  /** 1-based page number, for display and for the Previous button. */
  page: number;
}

function isSortField(value: string | null): value is SortField {
  return (SORT_FIELDS as readonly string[]).includes(value ?? '');
}

/** A number the API will accept; anything else in a hand-edited URL is dropped rather than sent. */
function numberText(value: string | null): string {
  const text = (value ?? '').trim();
  return text !== '' && Number.isFinite(Number(text)) ? text : '';
}

export function readBrowseState(params: URLSearchParams): BrowseState {
  const ranges: Partial<Record<RangeParam, string>> = {};
  for (const key of RANGE_PARAMS) {
    const value = numberText(params.get(key));
    if (value) ranges[key] = value;
  }
  const sort = params.get('sort');
  const publicParam = params.get('public');
  const page = Number(params.get('page'));
  const cursor = params.get('cursor');
  return {
    selection: {
      q: (params.get('q') ?? '').trim(),
      ranges,
      public: publicParam === 'true' || publicParam === 'false' ? publicParam : '',
      sort: isSortField(sort) ? sort : 'name',
      order: params.get('order') === 'desc' ? 'desc' : 'asc',
    },
    cursor: cursor || null,
    page: cursor && Number.isInteger(page) && page > 1 ? page : cursor ? 2 : 1,
  };
}

/**
 * The URL query for a state, as a full set of keys for useSearchParams' setter: keys the state does not use are
 * null, so they are removed. Defaults (sort by name, ascending) are left out to keep links short.
 */
export function browseParams(state: BrowseState): Record<string, string | null> {
  const query = selectionQuery(state.selection);
  const out: Record<string, string | null> = { q: null, public: null, sort: null, order: null, cursor: null, page: null };
  for (const key of RANGE_PARAMS) out[key] = null;
  Object.assign(out, query);
  if (state.selection.sort === 'name') out.sort = null;
  if (state.selection.order === 'asc') out.order = null;
  if (state.cursor) {
    out.cursor = state.cursor;
    out.page = String(state.page);
  }
  return out;
}

/** A selection's identity: pages and cursors of one selection mean nothing for another. */
export function selectionKey(selection: MoleculeSelection): string {
  return new URLSearchParams(selectionQuery(selection)).toString();
}

export function activeRangeCount(selection: MoleculeSelection): number {
  return Object.values(selection.ranges).filter((v) => v !== undefined && v !== '').length;
}

/** The next sort when a column header is pressed: the same column flips the order, another starts ascending. */
export function nextSort(current: { sort: SortField; order: SortOrder }, pressed: SortField): { sort: SortField; order: SortOrder } {
  if (current.sort === pressed) return { sort: pressed, order: current.order === 'asc' ? 'desc' : 'asc' };
  return { sort: pressed, order: 'asc' };
}
