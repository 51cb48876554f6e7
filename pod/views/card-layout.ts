import { signal } from '@preact/signals';
import { createContext } from 'preact';

/**
 * Which cards a technician folded and the order they put them in, kept in this browser's
 * localStorage (the technician's own profile) so every ticket opens the way they left it.
 * Storage may be missing, full or blocked (third-party frame storage partitioning, privacy
 * modes): then the layout simply lasts for this page, and nothing fails.
 */

const STORAGE_KEY = 'cw-pod:card-layout:v1';

type Saved = { collapsed: string[]; order: string[] };

function read(): Saved {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (!raw) return { collapsed: [], order: [] };
    const parsed: unknown = JSON.parse(raw);
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 50) : []);
    const obj = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    return { collapsed: list(obj['collapsed']), order: list(obj['order']) };
  } catch {
    return { collapsed: [], order: [] };
  }
}

const initial = read();
export const collapsedCards = signal<ReadonlySet<string>>(new Set(initial.collapsed));
export const cardOrder = signal<readonly string[]>(initial.order);

function save() {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify({ collapsed: [...collapsedCards.value], order: cardOrder.value }));
  } catch {
    // Harmless: the layout stays for this page only.
  }
}

export function setCollapsed(id: string, collapsed: boolean) {
  const next = new Set(collapsedCards.value);
  if (collapsed) next.add(id);
  else next.delete(id);
  collapsedCards.value = next;
  save();
}

/** `ids` in the technician's order: saved ones first as saved, new ones after in their default place. */
export function ordered(ids: readonly string[]): string[] {
  const saved = cardOrder.value.filter((id) => ids.includes(id));
  return [...saved, ...ids.filter((id) => !saved.includes(id))];
}

export function moveCard(id: string, by: -1 | 1, ids: readonly string[]) {
  const order = ordered(ids);
  const from = order.indexOf(id);
  const to = from + by;
  if (from < 0 || to < 0 || to >= order.length) return;
  order.splice(from, 1);
  order.splice(to, 0, id);
  cardOrder.value = order;
  save();
}

/** Forget the layout (tests, and a future "reset layout" control). */
export function resetCardLayout() {
  collapsedCards.value = new Set();
  cardOrder.value = [];
  save();
}

/** The movable cards on screen, in order; Card shows move controls only inside a provider. */
export const CardPlacement = createContext<readonly string[] | null>(null);
