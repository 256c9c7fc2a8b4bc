// Keyset cursors only lead forward, so "Previous" needs the cursors of the pages already visited. They are kept in
// sessionStorage (one trail, for the selection last paged through), so the button still works after a reload.
const STORAGE_KEY = 'cryoprotect.molecules.page-trail';

interface Trail {
  selection: string;
  /** cursors[i] opens page i + 1; page 1 has none. */
  cursors: (string | null)[];
}

function load(): Trail | null {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { selection, cursors } = value as Partial<Trail>;
    if (typeof selection !== 'string' || !Array.isArray(cursors)) return null;
    return { selection, cursors: cursors.map((c) => (typeof c === 'string' ? c : null)) };
  } catch {
    return null; // storage disabled or corrupt: paging still works, only Previous falls back to the first page
  }
}

function save(trail: Trail): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(trail));
  } catch {
    // Storage full or disabled; see load().
  }
}

/** Records that `cursor` opens page `page` of `selection`. */
export function rememberPage(selection: string, page: number, cursor: string | null): void {
  const previous = load();
  const cursors = previous && previous.selection === selection ? previous.cursors.slice(0, page - 1) : [null];
  while (cursors.length < page - 1) cursors.push(null);
  cursors[page - 1] = cursor;
  cursors[0] = null;
  save({ selection, cursors });
}

/** The cursor that opens `page` of `selection`: null for page 1, undefined when this tab has not been there. */
export function cursorOfPage(selection: string, page: number): string | null | undefined {
  if (page <= 1) return null;
  const trail = load();
  if (!trail || trail.selection !== selection) return undefined;
  const cursor = trail.cursors[page - 1];
  return cursor ?? undefined;
}
