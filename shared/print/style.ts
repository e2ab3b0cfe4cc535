/**
 * The print stylesheet: A4 or Letter pages, logical properties only (so a right-to-left page
 * mirrors by itself), table headers repeated on every page, rows and cards kept whole across page
 * breaks, numbers and addresses isolated left-to-right inside right-to-left text, and a font stack
 * for the page's language (CJK glyphs differ between Chinese, Japanese and Korean), with every
 * script's fonts after it for names written in another one.
 */

const FALLBACK = ['"Noto Sans"', '"DejaVu Sans"', '"Noto Sans CJK SC"', '"Noto Sans Arabic"', '"Noto Naskh Arabic"', 'sans-serif'];

const STACKS: readonly (readonly [RegExp, readonly string[]])[] = [
  [/^(fa|ar|ur|ps|ckb)\b/i, ['Vazirmatn', '"Noto Naskh Arabic"', '"Noto Sans Arabic"', 'Tahoma']],
  [/^zh-(tw|hk|mo|hant)\b/i, ['"Noto Sans CJK TC"', '"PingFang TC"', '"Microsoft JhengHei"']],
  [/^zh\b/i, ['"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"']],
  [/^ja\b/i, ['"Noto Sans CJK JP"', '"Hiragino Sans"', '"Yu Gothic"']],
  [/^ko\b/i, ['"Noto Sans CJK KR"', '"Apple SD Gothic Neo"', '"Malgun Gothic"']],
];

export function fontStack(lang: string): string {
  const own = STACKS.find(([re]) => re.test(lang))?.[1] ?? ['system-ui', '"Segoe UI"', 'Roboto', '"Helvetica Neue"', 'Arial'];
  return [...new Set([...own, ...FALLBACK])].join(', ');
}

export type Paper = 'A4' | 'Letter';

export function printCss(lang: string, paper: Paper): string {
  return `@page { size: ${paper}; margin: 14mm 12mm; }
html { color: #000; background: #fff; }
body { margin: 0; font: 10.5pt/1.4 ${fontStack(lang)}; }
.cardinal-print h1 { font-size: 15pt; margin-block: 0 5mm; }
.cardinal-print .empty { color: #444; }
.cardinal-print ul { list-style: none; margin: 0; padding: 0; }
.cardinal-print .kind { color: #444; font-size: 0.85em; margin-inline-end: 1.5mm; }
.cardinal-print .ltr { unicode-bidi: isolate; direction: ltr; }
.cardinal-print .number { font-variant-numeric: tabular-nums; white-space: nowrap; }
.cardinal-print .secondary { color: #444; font-size: 0.9em; }
.phone-list table { inline-size: 100%; border-collapse: collapse; }
.phone-list thead { display: table-header-group; }
.phone-list th { text-align: start; font-weight: 600; border-block-end: 1.2pt solid #000; padding-block: 1.5mm; padding-inline: 0 3mm; }
.phone-list td { vertical-align: top; border-block-end: 0.5pt solid #999; padding-block: 1.5mm; padding-inline: 0 3mm; }
.phone-list tr { break-inside: avoid; }
.phone-list .name { font-weight: 600; }
.cards .grid { columns: 2; column-gap: 8mm; }
.cards article { break-inside: avoid; border: 0.5pt solid #999; border-radius: 2mm; padding: 3mm 4mm; margin-block-end: 4mm; }
.cards article.long { break-inside: auto; }
.cards h2 { font-size: 12pt; margin-block: 0 1mm; }
.cards dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 3mm; margin-block: 2mm 0; }
.cards dt { color: #444; font-size: 0.85em; }
.cards dd { margin: 0; }
.cards .note { white-space: pre-wrap; }
`;
}
