/**
 * `.vcf` files the operating system hands to Cardinal: on the command line of the first or a second
 * launch (Windows, Linux: file associations run `cardinal file.vcf`), or by the `open-file` event
 * (macOS). Read here, capped, decoded like an import, and pushed to the window's import flow.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { OpenedFile } from '../../shared/ipc/contract';
import { decodeCsvBytes } from '../../shared/csv';
import { decodeVCardBytes } from '../../shared/vcard';

/** What the menu's Import… offers (vCards and CSVs); the window tells the two apart by name. */
export const IMPORT_FILTERS = [{ name: 'vCard, CSV', extensions: ['vcf', 'vcard', 'csv', 'tsv'] }] as const;

/** A CSV's text: its encoding detected here (windows-125x, UTF-16), so the window gets Unicode. */
const decodeOpened = (name: string, bytes: Uint8Array): string => (/\.(csv|tsv)$/i.test(name) ? decodeCsvBytes(bytes).text : decodeVCardBytes(bytes).text);

/** Largest file taken from the OS in one piece (an address book export of ~100,000 cards). */
export const MAX_OPENED_BYTES = 200 * 1024 * 1024;

/** The `.vcf`/`.vcard` files named in a command line (flags and the app's own path are skipped). */
export function vcfArguments(argv: readonly string[], cwd: string): string[] {
  return argv
    .filter((a) => !a.startsWith('-') && /\.(vcf|vcard)$/i.test(a))
    .map((a) => (isAbsolute(a) ? a : resolve(cwd, a)))
    .filter((p) => existsSync(p) && statSync(p).isFile());
}

/** The files as the window's import takes them; ones too large or unreadable are reported, not read. */
export async function readOpenedFiles(paths: readonly string[]): Promise<{ files: OpenedFile[]; refused: string[] }> {
  const files: OpenedFile[] = [];
  const refused: string[] = [];
  for (const p of paths) {
    try {
      if (statSync(p).size > MAX_OPENED_BYTES) throw new Error('too large');
      files.push({ name: basename(p), text: decodeOpened(p, new Uint8Array(await readFile(p))) });
    } catch {
      refused.push(basename(p));
    }
  }
  return { files, refused };
}

/**
 * Files the OS handed over, held until the window asks (at start) and pushed after that: a file
 * that arrives before the page is ready is not lost.
 */
export class OpenedFileQueue {
  private queue: OpenedFile[] = [];
  private listening = false;

  constructor(private readonly push: (files: OpenedFile[]) => void) {}

  add(files: readonly OpenedFile[]): void {
    if (files.length === 0) return;
    if (this.listening) this.push([...files]);
    else this.queue.push(...files);
  }

  /** The window asks once it can import: what waited, and from now on files are pushed. */
  take(): OpenedFile[] {
    this.listening = true;
    const out = this.queue;
    this.queue = [];
    return out;
  }

  /** The window went away (reload): hold files again until it asks. */
  pause(): void {
    this.listening = false;
  }
}
