import { useEffect, useState } from 'react';
import { withoutHonorifics } from '../../../../shared/book/derive';
import { useServices } from '../../services';

/** Photos given as URIs, loaded once per window and book through the main process. */
const loaded = new Map<string, string | null>();
/** Inline photos shown as they are: raster images only (an SVG or anything else is not drawn), and
 * no larger than the 5 MB the main process fetches for a photo URI (base64: 4 characters a 3 bytes). */
const INLINE_IMAGE = /^data:image\/(?:jpeg|png|gif|webp)[;,]/i;
const INLINE_MAX_CHARS = Math.ceil((5 * 1024 * 1024 * 4) / 3) + 64;

/** A photo URI as a data: URI, fetched lazily (when this avatar is shown); null until then or when none. */
function usePhoto(bookId: string | undefined, photo: string): string | null {
  const remote = /^https?:\/\//i.test(photo) && bookId !== undefined;
  const key = `${bookId ?? ''}\n${photo}`;
  const [data, setData] = useState<string | null>(remote ? (loaded.get(key) ?? null) : null);
  useEffect(() => {
    if (!remote || loaded.has(key)) return;
    let live = true;
    void window.cardinal
      .loadPhoto(bookId, photo)
      .catch(() => null)
      .then((d) => {
        loaded.set(key, d);
        if (live) setData(d);
      });
    return () => {
      live = false;
    };
  }, [remote, bookId, photo, key]);
  return remote ? data : null;
}

/** A data: URI whose base64 is base64 (a card's broken photo is not handed to the browser at all). */
function wellFormed(uri: string): boolean {
  const comma = uri.indexOf(',');
  if (!/;base64$/i.test(uri.slice(0, comma))) return true;
  const data = uri.slice(comma + 1);
  return data.length > 0 && /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(data);
}

const COLORS = ['#c8102e', '#0b6e4f', '#1f5fa8', '#8a4baf', '#b35c00', '#00707a', '#6b6b00', '#a0305f'];

/** Scripts whose one character is a whole name's initial (王小明, 王 小明: 王; 김민수: 김). */
const ONE_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * The letters on a photo-less avatar: the first letter of the first and last word that begin with
 * a letter (a number is no initial: "Group 1" is G, "Flat 4B" F; nor is an emoji or a mark after a
 * name). A Han, kana or Hangul initial stands alone. A name of numbers only shows its first
 * digit, a name without either "?". Exported for its test.
 */
export function initials(name: string): string {
  // A word's first letter or digit; the word gives an initial only when that is a letter.
  const first = (word: string) => /[\p{L}\p{N}]/u.exec(word)?.[0];
  const isLetter = (ch: string | undefined): ch is string => ch !== undefined && /\p{L}/u.test(ch);
  // "Dr. Grace Hopper" is GH: a title is not a name.
  const words = withoutHonorifics(name).split(/\s+/u);
  const lettered = words.map(first).filter(isLetter);
  if (lettered.length === 0) return /\p{N}/u.exec(name)?.[0] ?? '?';
  const head = lettered[0]!;
  if (lettered.length === 1 || ONE_CHARACTER.test(head)) return head.toLocaleUpperCase();
  return `${head}${lettered[lettered.length - 1]!}`.toLocaleUpperCase();
}

/** A contact's photo, or its initials on a colour derived from the name. A photo URI is fetched only
 * where `bookId` is given: the contact being shown, never every row of the list. */
export function Avatar({ name, photo, size, bookId }: { name: string; photo: string; size: number; bookId?: string }) {
  const { t } = useServices();
  const style = { inlineSize: size, blockSize: size, fontSize: size * 0.4 };
  const fetched = usePhoto(bookId, photo);
  const src = photo.length <= INLINE_MAX_CHARS && INLINE_IMAGE.test(photo) && wellFormed(photo) ? photo : fetched;
  // A photo the browser cannot decode (bad base64, a truncated file) shows the initials, never a broken image.
  const [broken, setBroken] = useState<string | null>(null);
  if (src !== null && src !== broken) return <img className="avatar" src={src} alt={t('a11y.avatar', { name })} style={style} onError={() => setBroken(src)} />;
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return (
    <span className="avatar" aria-hidden="true" style={{ ...style, backgroundColor: COLORS[h % COLORS.length] }}>
      {initials(name)}
    </span>
  );
}
