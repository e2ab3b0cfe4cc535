/**
 * The print job on screen: the laid-out document (shown in the print view, which takes the place
 * of the window until closed) and the request Electron's main process prints from.
 */
import { create } from 'zustand';
import { printLayout, type PrintDocument, type PrintLayout, type PrintTextKey } from '../../../../shared/print';
import type { PrintRequest } from '../../../../shared/ipc/contract';
import type { Language, MessageKey, Translate } from '../../i18n';

export interface PrintJob {
  readonly doc: PrintDocument;
  readonly request: Omit<PrintRequest, 'action'>;
}

export const usePrintJob = create<{ job: PrintJob | null; show(job: PrintJob | null): void }>()((set) => ({
  job: null,
  show: (job) => set({ job }),
}));

const TEXT_KEYS: Record<PrintTextKey, MessageKey> = {
  name: 'print.text.name',
  phones: 'print.text.phones',
  emails: 'print.text.emails',
  addresses: 'print.text.addresses',
  websites: 'print.text.websites',
  birthday: 'print.text.birthday',
  anniversary: 'print.text.anniversary',
  note: 'print.text.note',
  none: 'print.text.none',
  'type.cell': 'print.text.cell',
  'type.home': 'print.text.home',
  'type.work': 'print.text.work',
  'type.fax': 'print.text.fax',
  'type.pager': 'print.text.pager',
  'type.other': 'print.text.other',
};

/** A print job for these cards in the UI language (its sorting, dates, direction and fonts). */
export function makePrintJob(vcards: readonly string[], o: { layout: PrintLayout; lang: Language; title: string; paper: 'A4' | 'Letter'; t: Translate }): PrintJob {
  const texts = Object.fromEntries(Object.entries(TEXT_KEYS).map(([k, key]) => [k, o.t(key)])) as Record<PrintTextKey, string>;
  const doc = printLayout(vcards, { layout: o.layout, lang: o.lang, title: o.title, paper: o.paper, text: (k) => texts[k] });
  return { doc, request: { fileName: `${o.title}.pdf`, layout: o.layout, lang: o.lang, title: o.title, paper: o.paper, texts, vcards } };
}
