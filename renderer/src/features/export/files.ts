/**
 * Saving what an export made. In the page a file is a download (the harness's browser saves it;
 * Electron turns a download into a save dialog); several files are several downloads, one after
 * another, in the harness, and in Electron go into one folder chosen once (`saveFiles`).
 */
import type { CardinalApi, FolderFile, ShellKind } from '../../../../shared/ipc/contract';

export interface SavedFile {
  readonly name: string;
  readonly mime: string;
  readonly bytes: Uint8Array;
}

export function download(file: SavedFile): void {
  const blob = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function downloadAll(files: readonly SavedFile[]): Promise<void> {
  for (const [i, f] of files.entries()) {
    download(f);
    // Browsers drop downloads started in one burst; a short pause between them keeps every one.
    if (i < files.length - 1) await new Promise((r) => setTimeout(r, 120));
  }
}

/** What saving did: downloads (the harness, or one file), a folder (Electron, several files), or nothing (the folder dialog was cancelled). */
export type SaveOutcome = { readonly kind: 'downloaded'; readonly count: number } | { readonly kind: 'folder'; readonly path: string; readonly names: readonly string[] } | { readonly kind: 'cancelled' };

/** The part of window.cardinal saving uses. */
export type FolderApi = Pick<CardinalApi, 'chooseExportFolder' | 'writeExportFiles'>;

/** A batch handed to main at once: at most this many files, this many characters (main refuses more than 1,000 / 64 MB). */
export const FOLDER_BATCH_FILES = 500;
export const FOLDER_BATCH_CHARS = 16_000_000;

/**
 * Saves an export's files. Several files in Electron go into one folder the user chooses once
 * (main writes them, in batches, under safe unique names); one file, or any number in the harness,
 * are downloads (Electron asks where for a download).
 */
export async function saveFiles(
  files: readonly SavedFile[],
  o: { readonly shell: ShellKind; readonly api: FolderApi; readonly title: string; readonly download?: (files: readonly SavedFile[]) => Promise<void>; readonly progress?: (done: number, total: number) => void },
): Promise<SaveOutcome> {
  if (o.shell !== 'electron' || files.length < 2) {
    await (o.download ?? downloadAll)(files);
    return { kind: 'downloaded', count: files.length };
  }
  const folder = await o.api.chooseExportFolder(o.title);
  if (folder === null) return { kind: 'cancelled' };
  const decoder = new TextDecoder('utf-8');
  const names: string[] = [];
  let batch: FolderFile[] = [];
  let chars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    names.push(...(await o.api.writeExportFiles(folder.folderId, batch)).names);
    batch = [];
    chars = 0;
    o.progress?.(names.length, files.length);
  };
  for (const f of files) {
    const text = decoder.decode(f.bytes);
    if (batch.length >= FOLDER_BATCH_FILES || (batch.length > 0 && chars + text.length > FOLDER_BATCH_CHARS)) await flush();
    batch.push({ name: f.name, text });
    chars += text.length;
  }
  await flush();
  return { kind: 'folder', path: folder.path, names };
}
