import { ArrowLeftOutlined, EyeOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Divider, Empty, Flex, List, Result, Skeleton, Space, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { formatChinaDateTime } from '../../../lib/format';
import { type MemberDetail, type MemberRoleItem, useMember } from '../api';
import { MemberStatusTag, MobileTag, TransferStatusTag } from '../components/member-tags';
import { EndRoleModal, StartRoleModal } from '../components/role-modals';
import { TransferRequestModal } from '../components/transfer-request-modal';
import { TransferSteps } from '../components/transfer-steps';

function useMemberId(): number | null {
  const { id } = useParams();
  const parsed = Number(id);
  return id && Number.isInteger(parsed) && parsed > 0 ? parsed : null;
}

function MemberFields({ member }: { member: MemberDetail }) {
  const { t } = useTranslation();
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const items = [
    { key: 'phone', label: t('members.field.phone'), children: <span data-testid="member-phone">{member.phone}</span> },
    { key: 'idCard', label: t('members.field.idCard'), children: <span data-testid="member-id-card">{member.idCard}</span> },
    { key: 'gender', label: t('members.field.gender'), children: t(`members.gender.${member.gender}`) },
    { key: 'birthYear', label: t('members.field.birthYear'), children: member.birthYear },
    { key: 'joinDate', label: t('members.field.joinDate'), children: member.joinDate },
    { key: 'status', label: t('members.field.status'), children: <MemberStatusTag status={member.status} /> },
    { key: 'unit', label: t('members.field.unit'), children: <Link to={`/org/${member.unitId}`}>{member.unitName}</Link> },
    {
      key: 'worker',
      label: t('members.field.worker'),
      children: member.workerId ? <Link to={`/workers/${member.workerId}`}>{t('members.detail.workerLink')}</Link> : t('members.detail.noWorker'),
    },
    { key: 'createdAt', label: t('members.field.createdAt'), children: member.createdAt ? formatChinaDateTime(member.createdAt) : none },
    { key: 'updatedAt', label: t('members.field.updatedAt'), children: member.updatedAt ? formatChinaDateTime(member.updatedAt) : none },
  ];
  return <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={items} data-testid="member-fields" />;
}

function MobileFields({ member }: { member: MemberDetail }) {
  const { t } = useTranslation();
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const items = [
    { key: 'homeOrg', label: t('members.field.homeOrg'), children: member.homeOrgText ?? none },
    ...(member.homeUnitId
      ? [{ key: 'homeUnit', label: t('members.field.homeUnit'), children: <Link to={`/org/${member.homeUnitId}`}>{member.homeUnitName ?? `#${member.homeUnitId}`}</Link> }]
      : []),
    { key: 'mobilityType', label: t('members.field.mobilityType'), children: member.mobilityType ? t(`members.mobility.${member.mobilityType}`) : none },
    { key: 'mobilityReason', label: t('members.field.mobilityReason'), children: member.mobilityReason ?? none },
  ];
  return <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={items} data-testid="member-mobile-fields" />;
}

function RolesHistory({ member, onEnd }: { member: MemberDetail; onEnd: (role: MemberRoleItem) => void }) {
  const { t } = useTranslation();
  if (member.roles.length === 0) return <Typography.Paragraph type="secondary">{t('members.roles.empty')}</Typography.Paragraph>;
  // Newest term first.
  const roles = [...member.roles].sort((a, b) => b.fromDate.localeCompare(a.fromDate) || b.id - a.id);
  return (
    <Timeline
      data-testid="member-roles"
      items={roles.map((role) => ({
        key: role.id,
        color: role.toDate ? 'gray' : 'red',
        content: (
          <Flex wrap gap={8} align="center">
            <Typography.Text strong>{t(`members.roles.kind.${role.role}`)}</Typography.Text>
            <Typography.Text type="secondary">{role.unitName ?? `#${role.unitId}`}</Typography.Text>
            <Typography.Text>{t('members.roles.period', { from: role.fromDate, to: role.toDate ?? t('members.roles.current') })}</Typography.Text>
            {!role.toDate && (
              <Button size="small" onClick={() => onEnd(role)} data-testid={`role-end-${role.id}`}>
                {t('members.roles.end')}
              </Button>
            )}
          </Flex>
        ),
      }))}
    />
  );
}

function TransferHistory({ member }: { member: MemberDetail }) {
  const { t } = useTranslation();
  if (member.transfers.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('members.transfers.empty')} />;
  return (
    <List
      size="small"
      dataSource={member.transfers}
      data-testid="member-transfers"
      renderItem={(transfer) => (
        <List.Item key={transfer.id}>
          <Flex vertical gap={4} style={{ width: '100%' }}>
            <Flex wrap gap={8} align="center">
              <TransferStatusTag status={transfer.status} />
              <Typography.Text>
                {transfer.fromUnitName ?? `#${transfer.fromUnitId}`} → {transfer.toUnitName ?? `#${transfer.toUnitId}`}
              </Typography.Text>
            </Flex>
            <Typography.Text type="secondary">
              {t('members.transfers.reason')}：{transfer.reason}
            </Typography.Text>
            <TransferSteps transfer={transfer} />
          </Flex>
        </List.Item>
      )}
    />
  );
}

/** One member: every field, full phone and ID number on request (recorded), roles and transfers. */
export function MemberDetailPage() {
  const { t } = useTranslation();
  const id = useMemberId();
  const [unmask, setUnmask] = useState(false);
  const masked = useMember(id, false);
  const unmasked = useMember(unmask ? id : null, true);
  const [startingRole, setStartingRole] = useState(false);
  const [endingRole, setEndingRole] = useState<MemberRoleItem | null>(null);
  const [transferring, setTransferring] = useState(false);

  if (masked.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (masked.isError) {
    const missing = masked.error instanceof ApiError && masked.error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('members.detail.notFound') : t('errors.loadFailed')}
        subTitle={!missing && masked.error instanceof ApiError ? masked.error.detail : undefined}
        extra={
          <Link to="/members">
            <Button>{t('members.detail.back')}</Button>
          </Link>
        }
      />
    );
  }
  // The sensitive fields come from the unmasked read; everything else from the latest masked one (fresh after writes).
  const shown = unmasked.data;
  const member: MemberDetail = shown ? { ...masked.data, phone: shown.phone, idCard: shown.idCard, unmasked: shown.unmasked } : masked.data;
  const denied = shown !== undefined && !shown.unmasked;
  const openTransfer = member.transfers.some((tr) => tr.status === 'requested' || tr.status === 'approved');

  return (
    <Card data-testid="member-detail">
      <Link to="/members">
        <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0, marginBottom: 8 }}>
          {t('members.detail.back')}
        </Button>
      </Link>
      <Flex wrap justify="space-between" align="center" gap={8} style={{ marginBottom: 16 }}>
        <Space wrap align="center">
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="member-title">
            {member.name}
          </Typography.Title>
          <MemberStatusTag status={member.status} />
          <MobileTag isMobile={member.isMobile} />
        </Space>
        <Space wrap>
          <Button
            icon={<EyeOutlined />}
            onClick={() => setUnmask(true)}
            loading={unmasked.isFetching}
            disabled={member.unmasked || denied}
            data-testid="member-unmask"
          >
            {member.unmasked ? t('members.detail.sensitiveShown') : t('members.detail.showSensitive')}
          </Button>
          <Button icon={<SwapOutlined />} onClick={() => setTransferring(true)} disabled={openTransfer} data-testid="member-transfer">
            {t('members.transfers.request')}
          </Button>
        </Space>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {denied ? t('members.detail.unmaskDenied') : t('members.detail.unmaskNote')}
      </Typography.Paragraph>
      <MemberFields member={member} />
      {member.isMobile && (
        <>
          <Divider titlePlacement="start">{t('members.detail.mobileSection')}</Divider>
          <MobileFields member={member} />
        </>
      )}
      <Divider titlePlacement="start">{t('members.roles.title')}</Divider>
      <RolesHistory member={member} onEnd={setEndingRole} />
      <Button icon={<PlusOutlined />} onClick={() => setStartingRole(true)} data-testid="role-start">
        {t('members.roles.start')}
      </Button>
      <Divider titlePlacement="start">{t('members.transfers.history')}</Divider>
      <TransferHistory member={member} />
      <StartRoleModal member={member} open={startingRole} onClose={() => setStartingRole(false)} />
      <EndRoleModal member={member} role={endingRole} onClose={() => setEndingRole(null)} />
      <TransferRequestModal member={member} open={transferring} onClose={() => setTransferring(false)} />
    </Card>
  );
}
