/**
 * The print worker's work (print.worker.ts wires it to `self`): the window names the contacts by
 * id, in list order, with the links among them; the cards are read here from the window's own
 * IndexedDB (the same database and schema, db/schema.ts), a linked contact made one card
 * (as-shown.ts), and the print document laid out (shared/print). The rows or cards stay here: the
 * view asks for a slice as it shows them (`items`, as one string), and Electron's print asks for
 * the cards main lays out again (`cards`, 1,000 a message). So the window never holds the 50,000
 * cards (30 MB) nor their rows (26 MB). The window ends the job by terminating the worker.
 */
import { printLayoutPieces, type PrintDocument, type PrintLayout, type PrintTextKey } from '../../../shared/print';
import { CardinalDB, type CardRow } from '../db/schema';
import { asShown } from '../features/export/as-shown';
import type { ExportCardInput } from '../features/export/export-run';
import type { LiveLink } from '../store/links';

export interface PrintLayoutRequest {
  readonly layout: PrintLayout;
  readonly lang: string;
  readonly title: string;
  readonly paper: 'A4' | 'Letter';
  readonly texts: Readonly<Record<PrintTextKey, string>>;
}

/** A card among the ids that is one of a link's: its link and the link's shown card. */
export type PrintLinkEntry = readonly [id: string, link: string, primary: string];

/** What the window sends to lay out: where the cards are, and which. */
export interface PrintSource {
  /** The window's database name (`repo.db.name`). */
  readonly store: string;
  /** The contacts, in list order. */
  readonly ids: readonly string[];
  /** The ids that belong to a link (the others belong to none). */
  readonly links: readonly PrintLinkEntry[];
  /** For merging a link's cards (`appRegion`). */
  readonly region: string;
}

export type PrintWorkerMessage =
  | ({ readonly kind: 'layout' } & PrintSource & PrintLayoutRequest)
  /** Rows or cards `from`–`to` of the layout, as one string (joined by newlines). */
  | { readonly kind: 'items'; readonly request: number; readonly from: number; readonly to: number }
  /** The vCards `from`–`to` of those laid out (a linked contact's as one). */
  | { readonly kind: 'cards'; readonly request: number; readonly from: number; readonly to: number };

export type PrintLayoutReply =
  | { readonly kind: 'progress'; readonly phase: 'read' | 'layout'; readonly done: number; readonly total: number }
  /** Laid out: the document with its list empty, where the list goes, how many rows or cards, how many vCards. */
  | { readonly kind: 'ready'; readonly doc: PrintDocument; readonly container: string; readonly items: number; readonly cards: number }
  | { readonly kind: 'items'; readonly request: number; readonly html: string }
  | { readonly kind: 'cards'; readonly request: number; readonly vcards: readonly string[] }
  | { readonly kind: 'failed'; readonly message: string; readonly request?: number };

/** Ids read by id in one batch of requests. */
const BY_ID = 1000;
/** From this many ids, when they are at least half the store, the cards are read by key range, a page at a time. */
export const SCAN_FROM = 4000;
const PAGE = 2000;

/**
 * The stored vCards of these ids, in their order (a card gone meanwhile is left out), with
 * progress. A few are read by id; most of a large store is read in key order, a page per request
 * (50,000 single reads cost several times more).
 */
export async function readPrintCards(db: CardinalDB, ids: readonly string[], progress: (done: number, total: number) => void): Promise<ExportCardInput[]> {
  const texts = new Map<string, string>();
  const keep = (row: CardRow | undefined) => {
    if (row !== undefined && typeof row.vcard === 'string') texts.set(row.id, row.vcard);
  };
  if (ids.length >= SCAN_FROM && ids.length * 2 >= (await db.cards.count())) {
    const wanted = new Set(ids);
    let last: string | undefined;
    for (;;) {
      const rows = await (last === undefined ? db.cards.toCollection() : db.cards.where(':id').above(last)).limit(PAGE).toArray();
      for (const r of rows) if (wanted.has(r.id)) keep(r);
      progress(Math.min(texts.size, ids.length), ids.length);
      if (rows.length < PAGE) break;
      last = rows.at(-1)!.id;
    }
  } else {
    for (let i = 0; i < ids.length; i += BY_ID) {
      for (const r of await db.cards.bulkGet(ids.slice(i, i + BY_ID))) keep(r);
      progress(Math.min(i + BY_ID, ids.length), ids.length);
    }
  }
  if (ids.length === 0) progress(0, 0);
  return ids.flatMap((id) => {
    const vcard = texts.get(id);
    return vcard === undefined ? [] : [{ id, vcard, favorite: false, name: '' }];
  });
}

/** The links the window named, as `asShown` asks for them. */
function linkLookup(entries: readonly PrintLinkEntry[]): (id: string) => LiveLink | null {
  const members = new Map<string, string[]>();
  for (const [id, link] of entries) members.set(link, [...(members.get(link) ?? []), id]);
  const byId = new Map<string, LiveLink>();
  const made = new Map<string, LiveLink>();
  for (const [id, link, primary] of entries) {
    let live = made.get(link);
    if (live === undefined) {
      live = { id: link, primary, members: members.get(link)! };
      made.set(link, live);
    }
    byId.set(id, live);
  }
  return (id) => byId.get(id) ?? null;
}

export type Post = (reply: PrintLayoutReply) => void;

/** One worker's job: laid out once (`layout`), then asked for slices until the window ends it. */
export class PrintLayoutJob {
  private items: readonly string[] = [];
  private vcards: readonly string[] = [];
  private laidOut = false;

  constructor(
    private readonly post: Post,
    /** The database a source names; tests give their own. */
    private readonly open: (store: string) => CardinalDB = (store) => new CardinalDB(store),
  ) {}

  async handle(m: PrintWorkerMessage): Promise<void> {
    if (m.kind === 'layout') return this.layout(m);
    if (!this.laidOut) {
      this.post({ kind: 'failed', request: m.request, message: 'not laid out' });
      return;
    }
    const from = Math.max(0, m.from);
    if (m.kind === 'items') this.post({ kind: 'items', request: m.request, html: this.items.slice(from, m.to).join('\n') });
    else this.post({ kind: 'cards', request: m.request, vcards: this.vcards.slice(from, m.to) });
  }

  private async layout(r: PrintSource & PrintLayoutRequest): Promise<void> {
    const db = this.open(r.store);
    try {
      await db.open();
      const read = await readPrintCards(db, r.ids, (done, total) => this.post({ kind: 'progress', phase: 'read', done, total }));
      // A linked contact as one card, in its shown card's place.
      this.vcards = asShown(read, linkLookup(r.links), r.region).map((c) => c.vcard);
      const pieces = printLayoutPieces(this.vcards, {
        layout: r.layout,
        lang: r.lang,
        title: r.title,
        paper: r.paper,
        text: (k) => r.texts[k],
        progress: (done, total) => this.post({ kind: 'progress', phase: 'layout', done, total }),
      });
      this.items = pieces.items;
      this.laidOut = true;
      this.post({ kind: 'ready', doc: pieces.doc, container: pieces.container, items: pieces.items.length, cards: this.vcards.length });
    } catch (e) {
      this.post({ kind: 'failed', message: (e as Error).message });
    } finally {
      db.close();
    }
  }
}
