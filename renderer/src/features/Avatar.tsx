import { useServices } from '../services';

const COLORS = ['#c8102e', '#0b6e4f', '#1f5fa8', '#8a4baf', '#b35c00', '#00707a', '#6b6b00', '#a0305f'];

function initials(name: string): string {
  const parts = name.trim().split(/\s+/u).filter((p) => p !== '');
  if (parts.length === 0) return '?';
  const letters = parts.length === 1 ? [...parts[0]!].slice(0, 1) : [[...parts[0]!][0], [...parts[parts.length - 1]!][0]];
  return letters.join('').toLocaleUpperCase();
}

/** A contact's photo, or its initials on a colour derived from the name. */
export function Avatar({ name, photo, size }: { name: string; photo: string; size: number }) {
  const { t } = useServices();
  const style = { inlineSize: size, blockSize: size, fontSize: size * 0.4 };
  if (photo.startsWith('data:')) return <img className="avatar" src={photo} alt={t('a11y.avatar', { name })} style={style} />;
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return (
    <span className="avatar" aria-hidden="true" style={{ ...style, backgroundColor: COLORS[h % COLORS.length] }}>
      {initials(name)}
    </span>
  );
}
