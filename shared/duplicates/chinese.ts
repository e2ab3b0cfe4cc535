/**
 * Traditional → Simplified Chinese, so that 張偉 and 张伟 fold to one name. OpenCC's tables (via
 * opencc-js): the Taiwan and Hong Kong variant characters are first read as OpenCC's standard
 * Traditional, then converted to Simplified. Folding to Simplified (not the other way) is the
 * direction without ambiguity: 髮 and 發 both become 发, while 发 alone cannot tell which it was.
 */
import { ConverterFactory, type ConverterFunction } from 'opencc-js/core';
import { from, to } from 'opencc-js/preset/t2cn';

const HAN = /\p{Script=Han}/u;

let convert: ConverterFunction | null = null;

/** Simplified Chinese for any Han text; other text is returned as it is (and cheaply). */
export function toSimplified(text: string): string {
  if (!HAN.test(text)) return text;
  convert ??= ConverterFactory(from.hk!, from.tw!, to.cn!);
  return convert(text);
}
