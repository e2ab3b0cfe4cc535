/** The one file picker for imports (the sidebar's Import…, the first-launch screen): .vcf and CSV. */
export function ImportPicker({ onFiles }: { onFiles: (files: File[]) => void }) {
  return (
    <input
      id="import-input"
      type="file"
      accept=".vcf,.vcard,text/vcard,text/x-vcard,.csv,.tsv,text/csv"
      multiple
      className="visually-hidden"
      tabIndex={-1}
      aria-hidden="true"
      data-testid="import-input"
      onChange={(e) => {
        const files = [...(e.target.files ?? [])];
        e.target.value = '';
        if (files.length > 0) onFiles(files);
      }}
    />
  );
}

export function chooseImportFiles(): void {
  document.getElementById('import-input')?.click();
}
