/**
 * Titles and honorifics that say nothing about who someone is: "Dr. Ada Lovelace" and "Ada
 * Lovelace" are one name. Written folded (`foldName`), so `Fräulein` is `fraulein` and `آقای` is
 * `اقای`. Words that are also names are left out on purpose (Don, Lady, Pan, Hon, Ing, Sayyid; 君,
 * which ends many Chinese given names).
 */

/** Whole words, compared with their dots removed (`Dr.` → `dr`, `Sig.ra` → `sigra`). */
export const HONORIFIC_WORDS: ReadonlySet<string> = new Set([
  // English
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'doctor', 'prof', 'professor', 'sir', 'dame', 'rev', 'revd', 'reverend', 'fr',
  'jr', 'sr', 'snr', 'jnr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'dds', 'mba', 'msc', 'bsc',
  // German, Dutch, Scandinavian
  'herr', 'hr', 'frau', 'fraulein', 'frl', 'dipl', 'dhr', 'mevr', 'mw',
  // French, Spanish, Portuguese, Italian
  'monsieur', 'madame', 'mademoiselle', 'mme', 'mlle', 'senor', 'senora', 'senorita', 'sra', 'srta', 'sres',
  'senhor', 'senhora', 'sig', 'sigra', 'signor', 'signora', 'signorina', 'dott', 'dottssa', 'avv',
  // Persian and Arabic (folded: آ → ا, ي → ی, ة → ه)
  'اقای', 'اقا', 'خانم', 'دکتر', 'مهندس', 'جناب', 'سرکار', 'استاد', 'حاج', 'حاجی',
  'السید', 'السیده', 'الدکتور', 'الاستاذ', 'الشیخ',
]);

/**
 * Honorifics that CJK writing attaches to the name without a space (王先生, 山田様, 김민준씨),
 * in Simplified form (the folding converts first). Longest first, so 선생님 goes before 님.
 */
export const CJK_SUFFIXES: readonly string[] = [
  '선생님', '先生', '女士', '小姐', '太太', '夫人', '博士', '教授', '老师', '医生', '律师',
  'さん', 'さま', '様', '样', 'くん', 'ちゃん', '殿', '氏', '씨', '님',
];
