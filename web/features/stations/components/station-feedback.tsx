import { Alert, App, Checkbox, Flex, Input, Modal, Rate, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { trackPath } from '../../appeals/anonymous-store';
import { newIdempotencyKey, type ProblemResult, useRateStation, useReportProblem } from '../api';

type ModalProps = { stationId: number; stationName: string; open: boolean; onClose: () => void };

/** One to five stars and a word; rating again replaces the earlier rating. */
export function RateModal({ stationId, stationName, open, onClose }: ModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const rate = useRateStation(stationId);
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  return (
    <Modal
      open={open}
      title={t('stations.rate.title', { name: stationName })}
      okText={t('stations.rate.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: stars === 0, size: 'large', ...({ 'data-testid': 'station-rate-submit' } as object) }}
      cancelButtonProps={{ size: 'large' }}
      confirmLoading={rate.isPending}
      onCancel={onClose}
      onOk={() =>
        rate.mutate(
          { stars, comment: comment.trim() || null },
          {
            onSuccess: (result) => {
              void message.success(t('stations.rate.done', { average: result.rating.average ?? stars, count: result.rating.count }));
              onClose();
            },
            onError: (error) => reportError(error),
          },
        )
      }
    >
      <Flex vertical gap={12}>
        <Rate value={stars} onChange={setStars} style={{ fontSize: 32 }} data-testid="station-rate-stars" />
        <Input.TextArea value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} autoSize={{ minRows: 2 }} placeholder={t('stations.rate.comment')} />
      </Flex>
    </Modal>
  );
}

function Filed({ result }: { result: ProblemResult }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8} data-testid="station-report-filed">
      <Alert type="success" showIcon title={t('stations.report.filed', { unit: result.unitName })} />
      {result.trackingCode && result.secret ? (
        // Anonymous: only these two lead back to the appeal; the server keeps nothing that does.
        <Typography.Paragraph>
          {t('stations.report.keepCode')}
          <br />
          <Typography.Text copyable strong>
            {result.trackingCode}
          </Typography.Text>
          <br />
          <Link to={trackPath(result.trackingCode, result.secret)}>{t('stations.report.trackLink')}</Link>
        </Typography.Paragraph>
      ) : (
        <Link to={`/me/appeals/${result.appealId}`} data-testid="station-report-appeal-link">
          {t('stations.report.follow')}
        </Link>
      )}
    </Flex>
  );
}

/** A problem at the station (broken microwave, locked toilet) becomes an appeal about rest and facilities. */
export function ReportModal({ stationId, stationName, open, onClose }: ModalProps) {
  const { t } = useTranslation();
  const reportError = useApiErrorReporter();
  const report = useReportProblem(stationId);
  const [description, setDescription] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  // One key per form: a retried tap after a lost answer files the same appeal, not a second one.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const close = () => {
    if (report.data) {
      setDescription('');
      setIdempotencyKey(newIdempotencyKey());
      report.reset();
    }
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('stations.report.title', { name: stationName })}
      okText={report.data ? t('stations.report.close') : t('stations.report.submit')}
      cancelText={t('common.cancel')}
      cancelButtonProps={{ size: 'large', style: report.data ? { display: 'none' } : undefined }}
      okButtonProps={{ disabled: !report.data && description.trim().length < 5, size: 'large', ...({ 'data-testid': 'station-report-submit' } as object) }}
      confirmLoading={report.isPending}
      onCancel={close}
      onOk={() => (report.data ? close() : report.mutate({ description: description.trim(), anonymous, idempotencyKey }, { onError: (error) => reportError(error) }))}
    >
      {report.data ? (
        <Filed result={report.data} />
      ) : (
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">{t('stations.report.hint')}</Typography.Text>
          <Input.TextArea
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={2000}
            autoSize={{ minRows: 3 }}
            placeholder={t('stations.report.placeholder')}
            data-testid="station-report-text"
          />
          <Checkbox checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} data-testid="station-report-anonymous">
            {t('stations.report.anonymous')}
          </Checkbox>
        </Flex>
      )}
    </Modal>
  );
}
