import { EditOutlined, ProfileOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Flex, Result, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { MyActivitiesEntry } from '../../activities/components/entry-links';
import { DeclareCard } from '../../members/components/declare-card';
import { NearbyStationsEntry } from '../../stations/components/nearby-stations-entry';
import { MyPrivacyCard } from '../../privacy/components/my-privacy-card';
import { MyVolunteeringEntry } from '../../volunteers/components/my-volunteering-entry';
import { formatChinaDateTime } from '../../../lib/format';
import { CURRENT_NOTICE_VERSION, useMyWorker, useRecordConsent, useWithdrawConsent, type WorkerDetail } from '../api';

const BIG = { height: 48, fontSize: 16 } as const;

function MyData({ worker }: { worker: WorkerDetail }) {
  const { t } = useTranslation();
  const items = [
    { key: 'name', label: t('workers.field.name'), children: worker.name },
    // Their own number, shown in full: the server answers /me/worker unmasked.
    { key: 'phone', label: t('workers.field.phone'), children: <span data-testid="my-phone">{worker.phone}</span> },
    { key: 'platform', label: t('workers.field.platform'), children: worker.platformName },
    { key: 'city', label: t('workers.field.city'), children: worker.cityName ?? worker.cityCode },
    { key: 'unit', label: t('workers.field.unit'), children: worker.unitName ?? t('workers.detail.noUnit') },
  ];
  return (
    <Card title={t('workers.mine.myData')} data-testid="my-data">
      <Descriptions column={1} size="middle" items={items} styles={{ label: { width: 96 } }} />
    </Card>
  );
}

function MyConsent({ worker }: { worker: WorkerDetail }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const reportError = useApiErrorReporter();
  const give = useRecordConsent(worker.id);
  const withdraw = useWithdrawConsent(worker.id);
  const consent = worker.consent;
  const given = Boolean(consent.at) && !consent.withdrawnAt;

  const confirmWithdraw = () =>
    modal.confirm({
      title: t('workers.consent.withdrawTitle'),
      content: t('workers.mine.withdrawBody'),
      okText: t('workers.consent.withdrawOk'),
      okButtonProps: { danger: true, size: 'large', ...({ 'data-testid': 'withdraw-confirm' } as object) },
      cancelButtonProps: { size: 'large' },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await withdraw.mutateAsync(undefined);
          void message.success(t('workers.mine.withdrawnDone'));
        } catch (error) {
          reportError(error);
        }
      },
    });

  return (
    <Card title={t('workers.mine.myConsent')} data-testid="my-consent">
      <Flex vertical gap={12}>
        {given && consent.at ? (
          <Typography.Text strong data-testid="my-consent-state">
            {t('workers.mine.given', { at: formatChinaDateTime(consent.at), version: consent.version })}
          </Typography.Text>
        ) : consent.withdrawnAt ? (
          <Typography.Text type="warning" data-testid="my-consent-state">
            {t('workers.mine.withdrawnAt', { at: formatChinaDateTime(consent.withdrawnAt) })}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary" data-testid="my-consent-state">
            {t('workers.consent.none')}
          </Typography.Text>
        )}
        <Typography.Text>{t('workers.mine.consentIntro')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {given && consent.purpose ? consent.purpose : t('workers.consent.defaultPurpose')}
        </Typography.Paragraph>
        {!given && (
          <Button
            type="primary"
            block
            style={BIG}
            loading={give.isPending}
            data-testid="my-consent-give"
            onClick={() =>
              give.mutate(
                { version: CURRENT_NOTICE_VERSION, purpose: t('workers.consent.defaultPurpose'), channel: 'mobile_page' },
                { onError: (error) => reportError(error) },
              )
            }
          >
            {t('workers.mine.give')}
          </Button>
        )}
        {given && (
          <Button danger block style={BIG} loading={withdraw.isPending} onClick={confirmWithdraw} data-testid="my-consent-withdraw">
            {t('workers.consent.withdraw')}
          </Button>
        )}
      </Flex>
    </Card>
  );
}

/** The first thing on the phone page: filing an appeal is one big tap away, their appeals one more. */
function MyAppealsEntry() {
  const { t } = useTranslation();
  return (
    <Card data-testid="my-appeals-entry">
      <Flex vertical gap={12}>
        <Link to="/me/appeals/new">
          <Button type="primary" block icon={<EditOutlined />} style={{ height: 56, fontSize: 18 }} data-testid="my-file-appeal">
            {t('workers.mine.fileAppeal')}
          </Button>
        </Link>
        <Link to="/me/appeals" data-testid="my-appeals-link">
          <Button block icon={<ProfileOutlined />} style={BIG}>
            {t('workers.mine.myAppeals')}
          </Button>
        </Link>
      </Flex>
    </Card>
  );
}

/** The worker's own page on a phone: what Convoy holds about them, and their consent. */
export function MyPage() {
  const { t } = useTranslation();
  const mine = useMyWorker();

  let body;
  if (mine.isPending) body = <Skeleton active />;
  else if (mine.isError) body = <Result status="error" title={t('errors.loadFailed')} />;
  else if (mine.data === null) body = <Result status="info" subTitle={t('workers.mine.noRecord')} data-testid="my-no-record" />;
  else
    body = (
      <>
        <MyData worker={mine.data} />
        <MyConsent worker={mine.data} />
        {/* The server refuses a declaration once consent is withdrawn: the data may not be used for it. */}
        {!mine.data.consent.withdrawnAt && <DeclareCard isMember={mine.data.memberId !== null} />}
      </>
    );

  return (
    <Flex vertical gap={12} style={{ maxWidth: 480, margin: '0 auto' }} data-testid="my-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('workers.mine.title')}
      </Typography.Title>
      {/* Filing needs no worker record: without one the filing page still offers an anonymous appeal. */}
      <MyAppealsEntry />
      <NearbyStationsEntry />
      <MyActivitiesEntry />
      <MyVolunteeringEntry />
      {body}
      {/* Every account may take a copy of its data or ask for its deletion, with or without a worker record. */}
      {!mine.isPending && <MyPrivacyCard />}
    </Flex>
  );
}
