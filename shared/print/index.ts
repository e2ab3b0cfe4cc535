/** Print layouts (phone list, full cards) as HTML and CSS. */
export { printLayout, printLayoutInSlices, printLayoutPieces, printHtml, type PrintPieces, type PrintLayout, type PrintOptions, type PrintDocument, type PrintTextKey } from './layouts';
export { fontStack, type Paper } from './style';
