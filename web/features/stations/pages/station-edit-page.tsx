import { ArrowLeftOutlined, QrcodeOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Divider, Input, Modal, Result, Skeleton, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useMe } from '../../auth/api';
import { STATION_STAFF_ROLES, useCloseStation, useCreateStation, useStation, useUpdateStation } from '../api';
import { initialValuesOf, StationForm } from '../components/station-form';
import { StationPhotos } from '../components/station-photos';
import { StatusTag } from '../components/station-tags';

function CloseButton({ id }: { id: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const close = useCloseStation(id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <>
      <Button danger icon={<StopOutlined />} onClick={() => setOpen(true)} data-testid="station-close">
        {t('stations.close.button')}
      </Button>
      <Modal
        open={open}
        title={t('stations.close.title')}
        okText={t('stations.close.ok')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2, ...({ 'data-testid': 'station-close-confirm' } as object) }}
        confirmLoading={close.isPending}
        onCancel={() => setOpen(false)}
        onOk={() =>
          close.mutate(reason.trim(), {
            onSuccess: () => {
              setOpen(false);
              void message.success(t('stations.close.done'));
            },
            onError: (error) => reportError(error),
          })
        }
      >
        <p>{t('stations.close.body')}</p>
        <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} placeholder={t('stations.close.reason')} data-testid="station-close-reason" />
      </Modal>
    </>
  );
}

/** A new station, or an existing one to change or close; a closed one is shown read-only. */
export function StationEditPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const params = useParams();
  const id = params.id ? Number(params.id) : null;
  const me = useMe().data;
  const station = useStation(id);
  const create = useCreateStation();
  const update = useUpdateStation(id ?? 0);
  const defaultUnit = me?.grants.find((g) => g.unitId !== null && STATION_STAFF_ROLES.includes(g.role))?.unitId ?? null;

  const back = (
    <Link to="/stations">
      <Button type="text" icon={<ArrowLeftOutlined />}>
        {t('stations.list.title')}
      </Button>
    </Link>
  );

  if (id !== null && station.isPending) return <Skeleton active />;
  if (id !== null && station.isError) return <Result status="404" title={t('stations.edit.notFound')} extra={back} />;
  const detail = station.data ?? null;

  return (
    <Card
      title={
        <Space>
          {detail ? detail.name : t('stations.edit.newTitle')}
          {detail && <StatusTag status={detail.status} />}
        </Space>
      }
      extra={
        <Space wrap>
          {back}
          {detail && (
            <Link to={`/stations/${detail.id}/qr`}>
              <Button icon={<QrcodeOutlined />} data-testid="station-qr-link">
                {t('stations.qr.title')}
              </Button>
            </Link>
          )}
          {detail?.canEdit && <CloseButton id={detail.id} />}
        </Space>
      }
      data-testid="station-edit-page"
    >
      {detail && !detail.canEdit && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={detail.status === 'closed' ? t('stations.edit.closed', { reason: detail.statusNote ?? '' }) : t('stations.edit.readOnly')} />
      )}
      {(!detail || detail.canEdit) && (
        <StationForm
          key={detail?.updatedAt ?? 'new'}
          initial={initialValuesOf(detail, defaultUnit)}
          submitting={create.isPending || update.isPending}
          onSubmit={async (body) => {
            if (detail) {
              await update.mutateAsync(body);
              void message.success(t('common.saved'));
            } else {
              const created = await create.mutateAsync(body);
              void message.success(t('stations.edit.created'));
              await navigate(`/stations/${created.id}`, { replace: true });
            }
          }}
        />
      )}
      {detail && (
        <>
          <Divider />
          <StationPhotos station={detail} canEdit={detail.canEdit} />
        </>
      )}
    </Card>
  );
}
