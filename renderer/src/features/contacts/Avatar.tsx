import { useEffect, useState } from 'react';
import { withoutHonorifics } from '../../../../shared/book/derive';
import { useServices } from '../../services';

/** Photos given as URIs, loaded once per window through the main process. */
const loaded = new Map<string, string | null>();

/** A photo URI as a data: URI, fetched lazily (when this avatar is shown); null until then or when none. */
function usePhoto(bookId: string | undefined, photo: string): string | null {
  const remote = /^https?:\/\//i.test(photo) && bookId !== undefined;
  const [data, setData] = useState<string | null>(remote ? (loaded.get(photo) ?? null) : null);
  useEffect(() => {
    if (!remote || loaded.has(photo)) return;
    let live = true;
    void window.cardinal
      .loadPhoto(bookId, photo)
      .catch(() => null)
      .then((d) => {
        loaded.set(photo, d);
        if (live) setData(d);
      });
    return () => {
      live = false;
    };
  }, [remote, bookId, photo]);
  return remote ? data : null;
}

const COLORS = ['#c8102e', '#0b6e4f', '#1f5fa8', '#8a4baf', '#b35c00', '#00707a', '#6b6b00', '#a0305f'];

function initials(name: string): string {
  // "Dr. Grace Hopper" is GH: a title is not a name.
  const parts = withoutHonorifics(name).split(/\s+/u).filter((p) => p !== '');
  if (parts.length === 0) return '?';
  const letters = parts.length === 1 ? [...parts[0]!].slice(0, 1) : [[...parts[0]!][0], [...parts[parts.length - 1]!][0]];
  return letters.join('').toLocaleUpperCase();
}

/** A contact's photo, or its initials on a colour derived from the name. */
export function Avatar({ name, photo, size, bookId }: { name: string; photo: string; size: number; bookId?: string }) {
  const { t } = useServices();
  const style = { inlineSize: size, blockSize: size, fontSize: size * 0.4 };
  const fetched = usePhoto(bookId, photo);
  const src = photo.startsWith('data:') ? photo : fetched;
  if (src !== null) return <img className="avatar" src={src} alt={t('a11y.avatar', { name })} style={style} />;
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return (
    <span className="avatar" aria-hidden="true" style={{ ...style, backgroundColor: COLORS[h % COLORS.length] }}>
      {initials(name)}
    </span>
  );
}
