import { useMemo, useSyncExternalStore } from 'react';
import { CalendarPlus, Cake } from 'lucide-react';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { useSettings } from '../settings/settings';
import { Avatar } from '../contacts/Avatar';
import { leaveEditor } from '../contacts/edit-guard';
import { oncePerLink } from '../../store/links';
import { upcomingBirthdays } from './upcoming';

/** The link to the birthdays calendar: the export dialog with the .ics format chosen. */
function CalendarLink() {
  const { t } = useServices();
  return (
    <p className="birthday-calendar">
      <button type="button" className="link" onClick={() => useUi.getState().openDialog({ kind: 'export', scope: { kind: 'all' }, format: 'ics' })}>
        <CalendarPlus aria-hidden="true" size={16} />
        {t('birthdays.exportCalendar')}
      </button>
    </p>
  );
}

/** Birthdays in the next 30 days, soonest first, as a view of their own in the list pane. */
export function BirthdaysView() {
  const { t, index, dates, links } = useServices();
  const version = useSyncExternalStore(index.subscribe, index.getVersion);
  const linksVersion = useSyncExternalStore(links.subscribe, links.getVersion);
  const selected = useUi((s) => s.selected);
  const nameOrder = useSettings((s) => s.nameOrder);
  const list = useMemo(
    // Linked cards (one person in several books) with the same birthday: once, as the shown card.
    () => oncePerLink(upcomingBirthdays(index.all(), new Date()), links.linkOf, (u) => String(u.inDays)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` and `linksVersion` are how the stores say they changed
    [index, links, version, linksVersion],
  );
  const day = new Intl.DateTimeFormat(dates.locale, { month: 'long', day: 'numeric', timeZone: 'UTC' });
  const relative = new Intl.RelativeTimeFormat(dates.locale.split('-u-')[0], { numeric: 'auto' });
  if (list.length === 0) {
    return (
      <div className="list-empty">
        <Cake aria-hidden="true" size={28} />
        <p>{t('birthdays.none')}</p>
        <CalendarLink />
      </div>
    );
  }
  return (
    <>
    <CalendarLink />
    <ul className="birthday-list" aria-label={t('books.birthdays')}>
      {list.map(({ row, inDays, date, turns }) => (
        <li key={row.id}>
          <button
            type="button"
            className={`birthday-row${selected.includes(row.id) ? ' selected' : ''}`}
            aria-current={selected.includes(row.id) ? 'true' : undefined}
            onClick={() =>
              leaveEditor(() => {
                useUi.getState().select([row.id]);
                useUi.getState().setDetailOpen(true);
              })
            }
          >
            <Avatar name={row.displayName} photo={row.photo} size={36} bookId={row.bookId} />
            <span className="list-text">
              <span className="list-name">
                <bdi>{(nameOrder === 'last-first' ? row.displayNameLast : row.displayName) || t('list.noName')}</bdi>
              </span>
              <span className="list-sub">
                {turns === null ? t('birthdays.when', { date: day.format(date), when: relative.format(inDays, 'day') }) : t('birthdays.whenTurns', { date: day.format(date), when: relative.format(inDays, 'day'), age: turns })}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
    </>
  );
}
