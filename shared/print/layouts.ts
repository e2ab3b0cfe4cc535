/**
 * Print layouts as HTML and CSS, from cards: a phone list (names, numbers, e-mail addresses) and
 * full cards. They are pure text with no script, sorted and dated for the UI language and laid out
 * in its direction; the window prints them (Electron's print dialog or printToPDF, window.print in
 * the harness) from a document of their own (`printHtml`).
 */
import { nameInOrder } from '../book/derive';
import { displayName, parseVCard, toContact, type AddressItem, type Contact, type ContactItem, type DateValue } from '../vcard';
import { printCss, type Paper } from './style';

export type PrintLayout = 'phone-list' | 'cards';

/** Words the layouts need, translated by the UI. */
export type PrintTextKey =
  | 'name'
  | 'phones'
  | 'emails'
  | 'addresses'
  | 'websites'
  | 'birthday'
  | 'anniversary'
  | 'note'
  | 'none'
  | 'type.cell'
  | 'type.home'
  | 'type.work'
  | 'type.fax'
  | 'type.pager'
  | 'type.other';

export interface PrintOptions {
  readonly layout: PrintLayout;
  /** The UI language (BCP 47): sorting, dates and fonts follow it. */
  readonly lang: string;
  /** Defaults from the language (right to left for Persian, Arabic, Hebrew, Urdu). */
  readonly dir?: 'ltr' | 'rtl';
  /** The heading and the document's title ("Family — phone list"). */
  readonly title: string;
  readonly text: (key: PrintTextKey) => string;
  readonly paper?: Paper;
  /** Called as the cards are read (every 500, and at the end): a worker reports it to the window. */
  readonly progress?: (done: number, total: number) => void;
}

export interface PrintDocument {
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  readonly title: string;
  readonly css: string;
  /** The body's content: one <main> element. */
  readonly body: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const RTL = /^(fa|ar|he|iw|ur|ps|ckb|yi|dv)\b/i;

function kindOf(item: ContactItem, text: PrintOptions['text']): string {
  if (item.label !== '') return item.label;
  const t = item.types;
  const word = t.includes('cell') || t.includes('mobile') ? 'type.cell' : t.includes('fax') ? 'type.fax' : t.includes('pager') ? 'type.pager' : t.includes('work') ? 'type.work' : t.includes('home') ? 'type.home' : t.includes('other') ? 'type.other' : null;
  return word === null ? '' : text(word);
}

const ltr = (s: string, cls = '') => `<span class="ltr${cls === '' ? '' : ` ${cls}`}" dir="ltr">${esc(s)}</span>`;

function items(list: readonly ContactItem[], text: PrintOptions['text'], cls: string, withKind: boolean): string {
  if (list.length === 0) return '';
  return `<ul>${list
    .map((i) => {
      const kind = withKind ? kindOf(i, text) : '';
      return `<li>${kind === '' ? '' : `<span class="kind">${esc(kind)}</span>`}${ltr(i.value, cls)}</li>`;
    })
    .join('')}</ul>`;
}

/** One formatter per language and form: making an Intl.DateTimeFormat costs more than using it, and a book has many dates. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: string, yearless: boolean): Intl.DateTimeFormat {
  const key = `${lang}|${yearless}`;
  let f = dateFormats.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(lang, yearless ? { month: 'long', day: 'numeric', timeZone: 'UTC' } : { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(key, f);
  }
  return f;
}

function dateText(d: DateValue, lang: string): string {
  // A year alone: in the language's digits (Persian ۱۳۶۰ style), as the rest of the date would be.
  if (d.text !== undefined || d.month === null || d.day === null) return d.text ?? (d.year === null ? '' : new Intl.NumberFormat(lang, { useGrouping: false }).format(d.year));
  // UTC both ways, so no time zone moves the day; the language's own calendar and numerals.
  const date = new Date(Date.UTC(d.year ?? 2000, d.month - 1, d.day));
  return dateFormat(lang, d.year === null).format(date);
}

function addressLines(a: AddressItem): string {
  return [a.poBox, a.street, a.extended, [a.postalCode, a.locality].filter((x) => x !== '').join(' '), a.region, a.country]
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.trim() !== '')
    .map((l) => `<bdi>${esc(l)}</bdi>`)
    .join('<br>');
}

interface Entry {
  readonly shown: string;
  readonly contact: Contact;
}

const PROGRESS_EVERY = 500;
/** Cards written between two pauses of `printLayoutInSlices`. */
const RENDER_SLICE = 2000;

/** The cards read (a pause every 500, with progress) and sorted for the language. */
function* entries(vcards: readonly string[], lang: string, progress?: PrintOptions['progress']): Generator<void, Entry[]> {
  const collator = new Intl.Collator(lang, { sensitivity: 'base', numeric: true });
  const list: Entry[] = [];
  for (const [i, v] of vcards.entries()) {
    const contact = toContact(parseVCard(v));
    list.push({ contact, shown: contact.formattedName.trim() || nameInOrder(contact) || displayName(contact) });
    if ((i + 1) % PROGRESS_EVERY === 0) {
      progress?.(i + 1, vcards.length);
      yield;
    }
  }
  progress?.(vcards.length, vcards.length);
  return list.sort((a, b) => collator.compare(a.shown, b.shown));
}

function secondary(c: Contact): string {
  const org = [c.title, [c.organization.name, ...c.organization.units].filter((x) => x !== '').join(', ')].filter((x) => x !== '');
  return org.length === 0 ? '' : `<div class="secondary"><bdi>${esc(org.join(' · '))}</bdi></div>`;
}

/**
 * A name isolated in its own direction. A name with no letters (a contact with no name is shown
 * by its number or address: "+1 202 555 0100") has no direction of its own, and a right-to-left
 * page would set its digit groups right to left ("0100 555 202 1+"): it is left to right.
 */
function nameBdi(shown: string): string {
  return /\p{L}/u.test(shown) ? `<bdi>${esc(shown)}</bdi>` : `<bdi dir="ltr">${esc(shown)}</bdi>`;
}

/** A note this long makes a card taller than a column: it may break across columns and pages (else a page is left half empty). */
const LONG_NOTE = 600;

function phoneRow(e: Entry, o: PrintOptions): string {
  return `<tr><td><div class="name">${nameBdi(e.shown)}</div>${secondary(e.contact)}</td><td>${items(e.contact.phones, o.text, 'number', true)}</td><td>${items(e.contact.emails, o.text, '', false)}</td></tr>`;
}

function card(e: Entry, o: PrintOptions): string {
  const c = e.contact;
  const fields: [PrintTextKey, string][] = [];
  if (c.phones.length > 0) fields.push(['phones', items(c.phones, o.text, 'number', true)]);
  if (c.emails.length > 0) fields.push(['emails', items(c.emails, o.text, '', true)]);
  if (c.addresses.length > 0) fields.push(['addresses', c.addresses.map((a) => `<div>${addressLines(a)}</div>`).join('')]);
  if (c.urls.length > 0) fields.push(['websites', items(c.urls, o.text, '', false)]);
  if (c.birthday !== null) fields.push(['birthday', esc(dateText(c.birthday, o.lang))]);
  if (c.anniversary !== null) fields.push(['anniversary', esc(dateText(c.anniversary, o.lang))]);
  if (c.note !== '') fields.push(['note', `<div class="note"><bdi>${esc(c.note)}</bdi></div>`]);
  const dl = fields.map(([k, v]) => `<dt>${esc(o.text(k))}</dt><dd>${v}</dd>`).join('');
  return `<article${c.note.length > LONG_NOTE ? ' class="long"' : ''}><h2>${nameBdi(e.shown)}</h2>${secondary(c)}${dl === '' ? '' : `<dl>${dl}</dl>`}</article>`;
}

/**
 * A layout in pieces, for a window that shows 50,000 cards a slice at a time: the document with
 * its list left empty, where the list goes (a selector inside `body`), and each row or card.
 */
export interface PrintPieces {
  readonly doc: PrintDocument;
  readonly container: string;
  readonly items: readonly string[];
}

/** The layout as steps: it pauses (yields) between slices of cards read and written. */
function* layoutSteps(vcards: readonly string[], o: PrintOptions): Generator<void, PrintPieces> {
  const list = yield* entries(vcards, o.lang, o.progress);
  const items: string[] = [];
  const shown = o.layout === 'phone-list' ? list.filter((e) => e.contact.phones.length > 0 || e.contact.emails.length > 0) : list;
  for (const [i, e] of shown.entries()) {
    items.push(o.layout === 'phone-list' ? phoneRow(e, o) : card(e, o));
    if ((i + 1) % RENDER_SLICE === 0) yield;
  }
  const content =
    items.length === 0
      ? `<p class="empty">${esc(o.text('none'))}</p>`
      : o.layout === 'phone-list'
        ? `<table><thead><tr><th scope="col">${esc(o.text('name'))}</th><th scope="col">${esc(o.text('phones'))}</th><th scope="col">${esc(o.text('emails'))}</th></tr></thead><tbody>\n\n</tbody></table>`
        : `<div class="grid">\n\n</div>`;
  return {
    doc: {
      lang: o.lang,
      dir: o.dir ?? (RTL.test(o.lang) ? 'rtl' : 'ltr'),
      title: o.title,
      css: printCss(o.lang, o.paper ?? 'A4'),
      body: `<main class="cardinal-print ${o.layout}"><h1>${esc(o.title)}</h1>\n${content}\n</main>`,
    },
    container: o.layout === 'phone-list' ? 'tbody' : '.grid',
    items,
  };
}

/** The whole document: the pieces' list put in its place. */
function assemble(p: PrintPieces): PrintDocument {
  if (p.items.length === 0) return p.doc;
  const at = p.doc.body.indexOf(p.container === 'tbody' ? '<tbody>\n' : '<div class="grid">\n') + (p.container === 'tbody' ? '<tbody>\n' : '<div class="grid">\n').length;
  return { ...p.doc, body: `${p.doc.body.slice(0, at)}${p.items.join('\n')}${p.doc.body.slice(at)}` };
}

/** A layout in pieces, at once (the window's worker runs this). */
export function printLayoutPieces(vcards: readonly string[], o: PrintOptions): PrintPieces {
  const steps = layoutSteps(vcards, o);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** A print layout of these cards, at once. */
export function printLayout(vcards: readonly string[], o: PrintOptions): PrintDocument {
  return assemble(printLayoutPieces(vcards, o));
}

/**
 * The same layout with a pause between slices of cards (every 500 read, every 2,000 written), for
 * a thread that must keep answering meanwhile: Electron's main process passes `setImmediate`.
 */
export async function printLayoutInSlices(vcards: readonly string[], o: PrintOptions, pause: () => Promise<void>): Promise<PrintDocument> {
  const steps = layoutSteps(vcards, o);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return assemble(step.value);
    await pause();
  }
}

/**
 * A whole HTML document for the layout, with no script: for a print window of its own (its CSP
 * may allow this one inline style), Electron's printToPDF, or Chromium's --print-to-pdf. In the
 * main window, whose CSP allows styles from files only, add `css` through a constructed
 * stylesheet (CSSStyleSheet.replaceSync + adoptedStyleSheets), which CSP does not block.
 */
export function printHtml(doc: PrintDocument): string {
  return `<!doctype html>
<html lang="${esc(doc.lang)}" dir="${doc.dir}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(doc.title)}</title>
<style>
${doc.css}</style>
</head>
<body>
${doc.body}
</body>
</html>
`;
}
