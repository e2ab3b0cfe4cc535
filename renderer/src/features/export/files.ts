/**
 * Saving what an export made. In the page a file is a download (the harness's browser saves it;
 * Electron turns each download into a save dialog); several files are several downloads, one
 * after another.
 */
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
