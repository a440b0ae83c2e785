import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeclarationStatus, MemberStatus, TransferStatus } from '../api';

export function MemberStatusTag({ status }: { status: MemberStatus }) {
  const { t } = useTranslation();
  return <Tag color={status === 'full' ? 'red' : 'orange'}>{t(`members.status.${status}`)}</Tag>;
}

export function MobileTag({ isMobile }: { isMobile: boolean }) {
  const { t } = useTranslation();
  return isMobile ? <Tag color="blue">{t('members.mobileTag')}</Tag> : null;
}

const transferColors: Record<TransferStatus, string> = { requested: 'gold', approved: 'blue', accepted: 'cyan', done: 'green', rejected: 'default' };

export function TransferStatusTag({ status }: { status: TransferStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={transferColors[status]} data-testid="transfer-status">
      {t(`members.transfers.status.${status}`)}
    </Tag>
  );
}

const declarationColors: Record<DeclarationStatus, string> = { pending: 'gold', verified: 'green', rejected: 'default' };

export function DeclarationStatusTag({ status }: { status: DeclarationStatus }) {
  const { t } = useTranslation();
  return <Tag color={declarationColors[status]}>{t(`members.declarations.status.${status}`)}</Tag>;
}
