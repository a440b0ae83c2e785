import { Button, Card, Flex, Form, Input, Result, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { forgetAppeal, rememberAppeal, rememberedAppeals, trackPath } from '../anonymous-store';
import { PublicAppealLinks } from '../components/public-appeal-links';
import { PublicShell } from '../components/public-shell';
import { WorkerAppealView } from '../components/worker-appeal-view';
import { formatChinaMinute } from '../time';
import { useTrackedAppeal } from '../worker-api';

/** A code as typed or pasted: the whole link works too, and brings its secret with it. */
function parseEntry(text: string): { code: string; secret?: string } {
  const trimmed = text.trim();
  const link = /\/track\/([^/?#\s]+)(?:\?s=([^&#\s]+))?/.exec(trimmed);
  if (link?.[1]) return { code: decodeURIComponent(link[1]).toUpperCase(), secret: link[2] ? decodeURIComponent(link[2]) : undefined };
  return { code: trimmed.toUpperCase().replace(/\s+/g, '') };
}

/** /track: enter a tracking code. Open to anyone: an anonymous filer has no account to log in with. */
export function TrackEntryPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <PublicShell>
      <Card title={t('appeals.track.title')} data-testid="track-entry">
        <Form
          layout="vertical"
          size="large"
          requiredMark={false}
          onFinish={({ entry }: { entry: string }) => {
            const { code, secret } = parseEntry(entry);
            void navigate(trackPath(code, secret));
          }}
        >
          <Form.Item
            name="entry"
            label={t('appeals.track.codeLabel')}
            extra={t('appeals.track.codeHint')}
            rules={[{ required: true, whitespace: true, message: t('appeals.track.codeRequired') }]}
          >
            <Input autoCapitalize="characters" autoComplete="off" placeholder="ABCD-1234" data-testid="track-code" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block style={{ height: 48, fontSize: 16 }} data-testid="track-submit">
            {t('appeals.track.submit')}
          </Button>
        </Form>
      </Card>
      <RememberedOnDevice />
      <PublicAppealLinks showTrack={false} />
    </PublicShell>
  );
}

/** The anonymous appeals this phone filed or kept: one tap each, since nobody else can list them. */
function RememberedOnDevice() {
  const { t } = useTranslation();
  const [remembered] = useState(rememberedAppeals);
  if (remembered.length === 0) return null;
  return (
    <Card size="small" title={t('appeals.report.onDevice')} data-testid="track-remembered">
      <Flex vertical gap={8}>
        {remembered.map((r) => (
          <Link key={r.code} to={trackPath(r.code, r.secret)} data-testid="track-remembered-item">
            {r.code} · {formatChinaMinute(r.filedAt)}
          </Link>
        ))}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('appeals.report.onDeviceHint')}
        </Typography.Text>
      </Flex>
    </Card>
  );
}

/** Keeping the code and secret on this device, so "My appeals" lists it; the filer decides. */
function RememberLine({ code, secret, id }: { code: string; secret: string; id: number }) {
  const { t } = useTranslation();
  const [kept, setKept] = useState(() => rememberedAppeals().some((r) => r.code === code));
  return (
    <Flex justify="space-between" align="center" gap={8} wrap>
      <Typography.Text type="secondary">{t(kept ? 'appeals.track.kept' : 'appeals.track.notKept')}</Typography.Text>
      <Button
        size="small"
        onClick={() => {
          if (kept) forgetAppeal(code);
          else rememberAppeal({ id, code, secret, filedAt: new Date().toISOString() });
          setKept(!kept);
        }}
        data-testid="track-remember"
      >
        {t(kept ? 'appeals.track.forget' : 'appeals.track.remember')}
      </Button>
    </Flex>
  );
}

/** /track/:code?s=SECRET: an anonymous appeal. With the secret the filer may add to it and confirm or reopen it. */
export function TrackedAppealPage() {
  const { t } = useTranslation();
  const code = (useParams().code ?? '').toUpperCase();
  const secret = useSearchParams()[0].get('s');
  const appeal = useTrackedAppeal(code, secret);

  let body;
  if (appeal.isPending) body = <Skeleton active />;
  else if (appeal.isError) {
    const missing = appeal.error instanceof ApiError && (appeal.error.status === 404 || appeal.error.status === 400);
    body = <Result status={missing ? '404' : 'error'} title={t(missing ? 'appeals.track.notFound' : 'errors.loadFailed')} data-testid="track-not-found" />;
  } else {
    body = (
      <>
        {secret && <RememberLine code={code} secret={secret} id={appeal.data.id} />}
        {!secret && <Typography.Text type="secondary">{t('appeals.track.readOnly')}</Typography.Text>}
        {/* Photos are served only to the holder of the secret; without it they would show as broken. */}
        <WorkerAppealView
          appeal={secret ? appeal.data : { ...appeal.data, photos: [] }}
          handle={secret ? { kind: 'tracked', code, secret } : null}
          secret={secret ?? undefined}
        />
      </>
    );
  }
  return <PublicShell>{body}</PublicShell>;
}
