import { ArrowLeftOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Select, Space, Steps, Table, Tag, Typography, Upload } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { IMPORT_FIELDS, type ImportField, type ImportJob, isRunning, REQUIRED_IMPORT_FIELDS, useImportJob, useUploadImport } from '../api';
import { JobProgress, JobStatusTag } from '../components/job-progress';
import { detectMapping, readCsvHead } from '../csv-preview';
import { readXlsxHead } from '../xlsx-preview';

type Mapping = Partial<Record<ImportField, string>>;
type Preview = { header: string[]; rows: string[][] };

// A select value for "no column": the server then leaves the field empty (sent as an empty header).
const NOT_MAPPED = '';

const isXlsx = (file: File) => file.name.toLowerCase().endsWith('.xlsx');

/** Step 2: the file's first rows, and which column each Convoy field takes (changeable). */
function MappingStep({ preview, mapping, onChange }: { preview: Preview; mapping: Mapping; onChange: (next: Mapping) => void }) {
  const { t } = useTranslation();
  const missing = REQUIRED_IMPORT_FIELDS.filter((field) => !mapping[field]);
  const fieldOf = (header: string) => IMPORT_FIELDS.find((field) => mapping[field] === header);
  const columns = preview.header.map((header, index) => {
    const field = fieldOf(header);
    return {
      key: `c${index}`,
      title: (
        <Space direction="vertical" size={0}>
          <span>{header || t('imports.mapping.noHeader')}</span>
          {field ? <Tag color="blue">{t(`workers.field.${field}`)}</Tag> : <Tag>{t('imports.mapping.ignored')}</Tag>}
        </Space>
      ),
      render: (_: unknown, row: string[]) => row[index] ?? '',
    };
  });
  return (
    <Flex vertical gap={16}>
      <Flex wrap gap={12} data-testid="import-mapping">
        {IMPORT_FIELDS.map((field) => (
          <Flex key={field} vertical gap={4} style={{ width: 180 }}>
            <Typography.Text>
              {t(`workers.field.${field}`)}
              {REQUIRED_IMPORT_FIELDS.includes(field) && <Typography.Text type="danger"> *</Typography.Text>}
            </Typography.Text>
            <Select<string>
              value={mapping[field] ?? NOT_MAPPED}
              onChange={(header) => onChange({ ...mapping, [field]: header || undefined })}
              status={REQUIRED_IMPORT_FIELDS.includes(field) && !mapping[field] ? 'error' : undefined}
              options={[
                { value: NOT_MAPPED, label: t('imports.mapping.none') },
                ...preview.header.filter(Boolean).map((header) => ({ value: header, label: header })),
              ]}
              data-testid={`import-map-${field}`}
            />
          </Flex>
        ))}
      </Flex>
      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('imports.mapping.missing', { fields: missing.map((f) => t(`workers.field.${f}`)).join(t('org.history.listSeparator')) })}
        />
      )}
      <Typography.Text type="secondary">{t('imports.mapping.previewNote', { count: preview.rows.length })}</Typography.Text>
      <Table<string[]>
        size="small"
        rowKey={(_, index) => String(index)}
        columns={columns}
        dataSource={preview.rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="import-preview"
      />
    </Flex>
  );
}

/** Step 3: the dry run's counts, then the real import. */
function DryRunStep({ job }: { job: ImportJob | undefined }) {
  const { t } = useTranslation();
  if (!job) return <Typography.Text type="secondary">{t('imports.dryRun.waiting')}</Typography.Text>;
  return (
    <Flex vertical gap={12} data-testid="import-dry-run">
      <Alert
        type={isRunning(job) ? 'info' : job.status === 'failed' ? 'error' : job.rejected > 0 ? 'warning' : 'success'}
        showIcon
        title={
          <Space>
            <JobStatusTag job={job} />
            {isRunning(job) ? t('imports.dryRun.running') : t('imports.dryRun.done')}
          </Space>
        }
      />
      <JobProgress job={job} />
    </Flex>
  );
}

/** Import workers from a CSV or XLSX file: choose it, check the columns, try it, then run it. */
export function ImportWizardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const reportError = useApiErrorReporter();
  const upload = useUploadImport();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [unreadable, setUnreadable] = useState(false);
  const [mapping, setMapping] = useState<Mapping>({});
  const [detected, setDetected] = useState<Mapping>({});
  const [dryRunId, setDryRunId] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const dryRun = useImportJob(dryRunId);

  useEffect(() => {
    setPreview(null);
    setUnreadable(false);
    if (!file) return;
    let cancelled = false;
    (isXlsx(file) ? readXlsxHead(file) : readCsvHead(file)).then(
      (head) => {
        if (cancelled) return;
        const found = detectMapping(head.header, IMPORT_FIELDS);
        setPreview(head);
        setDetected(found);
        setMapping(found);
      },
      // A file the browser cannot read is still sent: the server's dry run names what is wrong with it.
      () => !cancelled && setUnreadable(true),
    );
    return () => {
      cancelled = true;
    };
  }, [file]);

  // Only what the user changed is sent; a field they set to "none" is sent as an empty header.
  const explicit = useMemo(() => {
    const changed: Mapping = {};
    for (const field of IMPORT_FIELDS) if ((mapping[field] ?? '') !== (detected[field] ?? '')) changed[field] = mapping[field] ?? '';
    return changed;
  }, [mapping, detected]);
  const mappingComplete = preview === null || REQUIRED_IMPORT_FIELDS.every((field) => mapping[field]);

  const send = async (isDryRun: boolean) => {
    if (!file) return;
    setSending(true);
    try {
      const job = await upload({ file, dryRun: isDryRun, mapping: explicit });
      if (isDryRun) {
        setDryRunId(job.id);
        setStep(2);
      } else void navigate(`/imports/${job.id}`);
    } catch (error) {
      reportError(error);
    } finally {
      setSending(false);
    }
  };

  const chooseFile = (
    <Flex vertical gap={12}>
      <Upload.Dragger
        accept=".csv,.xlsx,text/csv"
        maxCount={1}
        showUploadList={false}
        beforeUpload={(chosen) => {
          setFile(chosen);
          setDryRunId(null);
          setStep(1);
          return false; // kept in the browser until the user sends it
        }}
        data-testid="import-file"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('imports.file.choose')}</p>
        <p className="ant-upload-hint">{t('imports.file.hint')}</p>
      </Upload.Dragger>
      <Typography.Text type="secondary">{t('imports.file.headers')}</Typography.Text>
    </Flex>
  );

  const dryRunDone = dryRun.data !== undefined && dryRun.data.status === 'done';

  return (
    <Card
      title={t('imports.wizard.title')}
      extra={
        <Link to="/imports">
          <Button type="link" icon={<ArrowLeftOutlined />}>
            {t('imports.list.title')}
          </Button>
        </Link>
      }
      data-testid="import-wizard"
    >
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={[{ title: t('imports.wizard.stepFile') }, { title: t('imports.wizard.stepMapping') }, { title: t('imports.wizard.stepDryRun') }]}
      />
      {file && step > 0 && (
        <Typography.Paragraph>
          {t('imports.file.chosen')}
          <Typography.Text strong data-testid="import-file-name">
            {file.name}
          </Typography.Text>
          <Button type="link" onClick={() => setStep(0)} data-testid="import-change-file">
            {t('imports.file.change')}
          </Button>
        </Typography.Paragraph>
      )}
      {step === 0 && chooseFile}
      {step === 1 &&
        file &&
        (preview ? (
          <MappingStep preview={preview} mapping={mapping} onChange={setMapping} />
        ) : unreadable ? (
          <Alert type="info" showIcon title={t('imports.mapping.noPreview')} data-testid="import-no-preview" />
        ) : null)}
      {step === 2 && <DryRunStep job={dryRun.data} />}
      <Flex gap={8} justify="end" style={{ marginTop: 24 }}>
        {step === 1 && (
          <Button type="primary" loading={sending} disabled={!mappingComplete} onClick={() => void send(true)} data-testid="import-dry-run-start">
            {t('imports.wizard.dryRun')}
          </Button>
        )}
        {step === 2 && (
          <>
            <Button onClick={() => setStep(1)} disabled={sending}>
              {t('imports.wizard.back')}
            </Button>
            <Button type="primary" loading={sending} disabled={!dryRunDone} onClick={() => void send(false)} data-testid="import-start">
              {t('imports.wizard.start')}
            </Button>
          </>
        )}
      </Flex>
    </Card>
  );
}
