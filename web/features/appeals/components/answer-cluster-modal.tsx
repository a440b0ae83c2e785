import { Alert, Button, Checkbox, Descriptions, Form, Input, Modal, Result, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../lib/api-client';
import { type AnswerClusterResult, type AppealCluster, useAnswerCluster } from '../api';

type Values = { body: string; resolve: boolean };
type Props = {
  /** The problem being answered; null while the modal is closed. */
  cluster: AppealCluster | null;
  /** What the problem is called in the table (category · platform · city · week), so the handler knows what they answer. */
  title: string;
  unitId: number;
  onClose: () => void;
};

/** One public answer to every open appeal of a key problem, optionally resolving them; then what happened to each. */
export function AnswerClusterModal({ cluster, title, unitId, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const answer = useAnswerCluster();
  const [result, setResult] = useState<AnswerClusterResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  // Each opening starts clean: no answer of the previous problem, no old result.
  useEffect(() => {
    if (cluster) {
      form.resetFields();
      setResult(null);
      setProblem(null);
    }
  }, [cluster, form]);

  const submit = async (values: Values) => {
    if (!cluster) return;
    setProblem(null);
    try {
      const done = await answer.mutateAsync({
        unitId,
        category: cluster.category,
        platformId: cluster.platformId,
        cityCode: cluster.cityCode,
        week: cluster.week,
        body: values.body.trim(),
        resolve: values.resolve,
      });
      setResult(done);
    } catch (error) {
      // A 403 (an analyst, or a unit above the holder's) or a validation problem: the server says why.
      setProblem(error instanceof ApiError ? error.detail || error.title : String(error));
    }
  };

  const footer = result
    ? [
        <Button key="close" type="primary" onClick={onClose} data-testid="answer-cluster-close">
          {t('appeals.clusters.close')}
        </Button>,
      ]
    : [
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={answer.isPending} onClick={() => form.submit()} data-testid="answer-cluster-submit">
          {t('appeals.clusters.send')}
        </Button>,
      ];

  return (
    <Modal open={cluster !== null} title={t('appeals.clusters.answerTitle')} onCancel={onClose} footer={footer} width={560} destroyOnHidden data-testid="answer-cluster-modal">
      <Typography.Paragraph strong>{title}</Typography.Paragraph>
      {result ? (
        <Result
          status={result.skipped > 0 ? 'warning' : 'success'}
          title={t('appeals.clusters.doneTitle')}
          subTitle={result.skipped > 0 ? t('appeals.clusters.skippedHint') : undefined}
          style={{ paddingBlock: 8 }}
          extra={
            <Descriptions
              column={3}
              size="small"
              bordered
              items={[
                { key: 'answered', label: t('appeals.clusters.answered'), children: <span data-testid="answer-result-answered">{result.answered}</span> },
                { key: 'resolved', label: t('appeals.clusters.resolved'), children: <span data-testid="answer-result-resolved">{result.resolved}</span> },
                { key: 'skipped', label: t('appeals.clusters.skipped'), children: <span data-testid="answer-result-skipped">{result.skipped}</span> },
              ]}
            />
          }
          data-testid="answer-cluster-result"
        />
      ) : (
        <Form<Values> form={form} layout="vertical" initialValues={{ body: '', resolve: false }} onFinish={(values) => void submit(values)}>
          <Typography.Paragraph type="secondary">{t('appeals.clusters.answerHint')}</Typography.Paragraph>
          <Form.Item
            name="body"
            label={t('appeals.clusters.body')}
            rules={[
              { required: true, whitespace: true, message: t('appeals.clusters.bodyRequired') },
              { min: 5, message: t('appeals.file.descriptionShort') },
            ]}
          >
            <Input.TextArea rows={5} maxLength={4000} showCount data-testid="answer-cluster-body" />
          </Form.Item>
          <Form.Item name="resolve" valuePropName="checked" extra={t('appeals.clusters.resolveHint')}>
            <Checkbox data-testid="answer-cluster-resolve">{t('appeals.clusters.resolve')}</Checkbox>
          </Form.Item>
          {problem && <Alert type="error" showIcon title={problem} data-testid="answer-cluster-problem" />}
        </Form>
      )}
    </Modal>
  );
}
