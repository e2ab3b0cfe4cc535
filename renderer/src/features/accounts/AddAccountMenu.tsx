import { Building2, Plus, Server, UserRound } from 'lucide-react';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { MenuButton } from '../common/MenuButton';

/** One "Add account" menu for the three kinds of account, instead of a button each. */
export function AddAccountMenu({ className }: { className?: string }) {
  const { t } = useServices();
  const openDialog = useUi((s) => s.openDialog);
  return (
    <MenuButton
      className={className}
      label={t('account.addMenu')}
      icon={<Plus aria-hidden="true" size={16} />}
      items={[
        { key: 'google', label: t('google.add'), icon: <UserRound aria-hidden="true" size={16} />, onSelect: () => openDialog({ kind: 'add-google' }) },
        { key: 'workspace', label: t('shared.add'), icon: <Building2 aria-hidden="true" size={16} />, onSelect: () => openDialog({ kind: 'add-workspace' }) },
        { key: 'carddav', label: t('account.add'), icon: <Server aria-hidden="true" size={16} />, onSelect: () => openDialog({ kind: 'add-carddav' }) },
      ]}
    />
  );
}
